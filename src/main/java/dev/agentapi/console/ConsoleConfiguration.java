package dev.agentapi.console;

import org.springframework.context.annotation.Configuration;
import org.springframework.http.CacheControl;
import org.springframework.web.servlet.config.annotation.ResourceHandlerRegistry;
import org.springframework.web.servlet.config.annotation.ViewControllerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * The operator console: static ES modules and CSS under {@code classpath:/static/console/}, served
 * at {@code /console/}. It holds no secrets and calls only the public REST API, with the credentials
 * its operator enters; its response headers (a strict Content-Security-Policy) are set by the
 * security configuration.
 */
@Configuration(proxyBeanMethods = false)
class ConsoleConfiguration implements WebMvcConfigurer {

    static final String LOCATION = "classpath:/static/console/";

    @Override
    public void addViewControllers(ViewControllerRegistry registry) {
        registry.addRedirectViewController("/console", "/console/");
        registry.addViewController("/console/").setViewName("forward:/console/index.html");
    }

    /** Revalidated on every load (Last-Modified answers 304), so a new release never mixes old and new modules. */
    @Override
    public void addResourceHandlers(ResourceHandlerRegistry registry) {
        registry.addResourceHandler("/console/**").addResourceLocations(LOCATION).setCacheControl(CacheControl.noCache());
    }
}
