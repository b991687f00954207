package dev.agentapi.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentapi.web.ClientAddressResolver;
import dev.agentapi.web.WebProperties;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

/** Outside a request, nobody is anybody until the work says whom it acts for: identity fails closed. */
class CurrentActorTest {

    final CurrentActor actors = new CurrentActor(new ClientAddressResolver(new WebProperties(DataSize.ofMegabytes(1), List.of())),
            new SecurityProperties(null, List.of(), List.of(), null));

    @Test
    void workOutsideARequestIsAnonymousWithoutRightsUnlessItNamesItsActor() {
        Actor nobody = actors.get();
        assertThat(nobody.userId()).isEqualTo(Actor.ANONYMOUS);
        assertThat(nobody.admin()).isFalse();
        assertThat(nobody.mayAccess("key:alice")).isFalse();
        assertThat(nobody.mayAccess(Actor.ANONYMOUS)).as("nobody owns what anonymous is recorded on").isFalse();

        assertThat(actors.runAs(Actor.system(), actors::get)).isEqualTo(Actor.system());
        Actor alice = new Actor("key:alice", null, null, null, false);
        assertThat(actors.runAs(Actor.system(), () -> actors.runAs(alice, actors::get))).isEqualTo(alice);
        assertThat(actors.get()).as("back to nobody once the work is done").isEqualTo(nobody);
    }
}
