// One agent: its record, a live view of its page (streamed frames, GET .../live), a takeover (and an AI client's
// request for a person, GET .../takeover) and an action console.
import {del, get, post, problemView, stream} from '../api.js';
import {badge, clear, field, h, pretty, when} from '../dom.js';

/** How long the live view waits before it connects again after its stream ended or was refused. */
const RECONNECT = 3000;
const RECORD_INTERVAL = 5000;
const MAX_RESULTS = 20;

/** Which inputs each action type uses (the API's own validation decides what is required). */
const ACTIONS = {
  navigate: ['url'],
  click: ['selector'],
  fill: ['selector', 'value'],
  press: ['selector', 'key'],
  text: ['selector'],
  snapshot: ['selector', 'depth'],
  content: [],
  screenshot: [],
};

export function agentPage(main, id) {
  const path = `/api/agents/browser/${encodeURIComponent(id)}`;
  const record = h('section', {'aria-labelledby': 'record-heading', class: 'panel'});
  const image = h('img', {alt: `Live view of agent ${id}'s page`, class: 'live-image', hidden: true});
  const liveState = h('p', {class: 'live-state', role: 'status'}, 'Waiting for the first frame…');
  const liveProblem = h('div');
  const toggle = h('button', {type: 'button', 'aria-pressed': 'true'}, 'Pause live view');
  const takeButton = h('button', {type: 'button', 'aria-pressed': 'false'}, 'Take over');
  const holdState = h('p', {class: 'hint', role: 'status'});
  const humanRequest = h('section', {class: 'panel human-request', 'aria-labelledby': 'human-heading', hidden: true});
  let shownRequest = null; // what the human-request panel draws, so a poll that finds the same draws nothing
  const results = h('ol', {class: 'results', 'aria-live': 'polite', 'aria-label': 'Action results, newest first'});
  let agent = null;
  let live = true;
  let watching = null; // the open stream's AbortController
  let held = false; // whether this operator holds the agent (takeover)
  let viewport = null; // the page's viewport in CSS pixels, from the latest frame
  let frames = 0;
  let stopped = false;
  let frameTimer = null;
  let recordTimer = null;
  let shownUrl = null;

  async function loadRecord() {
    const answer = await get(path);
    if (stopped) return;
    clear(record).append(h('h2', {id: 'record-heading'}, 'Record'));
    if (!answer.ok) {
      agent = null;
      record.append(problemView(answer, 'reading the agent'));
      return;
    }
    agent = answer.body;
    record.append(h('dl', {class: 'facts'},
      fact('Status', h('span', {}, badge(agent.status), agent.status_reason ? ` ${agent.status_reason}` : '')),
      fact('Owner', agent.created_by || '—'),
      fact('Channel', agent.effective_channel && agent.effective_channel !== agent.channel
        ? `${agent.channel} (runs ${agent.effective_channel})` : agent.channel),
      fact('Headless', agent.headless ? 'yes' : 'no'),
      fact('Viewport', agent.viewport ? `${agent.viewport.width} × ${agent.viewport.height}` : '—'),
      fact('Actions', String(agent.total_actions)),
      fact('Errors', String(agent.total_errors)),
      fact('Last action', when(agent.last_action_at)),
      fact('Created', when(agent.created_at)),
      fact('Updated', when(agent.updated_at))),
    h('details', {}, h('summary', {}, 'Config'), pretty(agent.config || {})));
    loadTakeover();
  }

  /** Whether an AI client waits for a person on the agent (MCP request_human), and who holds it; only while it runs. */
  async function loadTakeover() {
    if (!agent || agent.status !== 'running') {
      showRequest(null, null);
      return;
    }
    const answer = await get(`${path}/takeover`);
    if (stopped || !answer.ok) return; // 409: its browser runs on another replica, which alone knows
    showRequest(answer.body.human_request, answer.body.held_by);
  }

  /** The request for a person, prominent above the live view: the client's message, and the takeover that answers it. */
  function showRequest(request, heldBy) {
    const drawn = request ? JSON.stringify([request.message, request.since, heldBy, held]) : null;
    if (drawn === shownRequest) return;
    shownRequest = drawn;
    clear(humanRequest);
    humanRequest.hidden = !request;
    if (!request) return;
    let next;
    if (held) {
      next = h('p', {}, 'You hold this agent: do what it asks in the live view, then release it; the waiting client goes on.');
    } else if (heldBy) {
      next = h('p', {}, `${heldBy} holds this agent now; the client goes on once they release it.`);
    } else {
      next = h('p', {}, h('button', {type: 'button', class: 'primary', onclick: takeOrRelease}, 'Take over to help'),
        ' The client waits until ', when(request.expires_at), '.');
    }
    humanRequest.append(
      h('h2', {id: 'human-heading'}, 'A person is needed'),
      h('p', {}, h('strong', {}, request.requested_by), ' asks, since ', when(request.since), ':'),
      h('blockquote', {class: 'human-message', role: 'alert'}, request.message),
      next);
  }

  /**
   * Watches the agent's page while it runs and the view is not paused: one stream at a time, connected again
   * RECONNECT ms after it ends (the browser stopped, the stream's time ran out) or is refused.
   */
  async function watch() {
    frameTimer = null;
    if (stopped || watching) return;
    if (!live) {
      liveState.textContent = 'Live view paused.';
      return;
    }
    if (!agent || agent.status !== 'running') {
      liveState.textContent = `Live view waits: the agent is ${agent ? agent.status : 'unknown'}. Its next action starts its browser.`;
      later();
      return;
    }
    const controller = new AbortController();
    watching = controller;
    liveState.textContent = 'Connecting…';
    let ended = null;
    try {
      const answer = await stream(`${path}/live`, {signal: controller.signal, onEvent: (name, data) => {
        const event = JSON.parse(data);
        if (name === 'ready') {
          clear(liveProblem);
          liveState.textContent = `Connected, waiting for the page to draw (at most ${event.max_fps} frames a second).`;
        } else if (name === 'frame') {
          viewport = {width: event.viewport_width, height: event.viewport_height};
          show(base64Blob(event.data, 'image/jpeg'));
        } else if (name === 'end') {
          ended = event.reason;
        }
      }});
      if (!answer.ok && answer.status !== 409) { // 409: the browser stopped meanwhile; the record says so soon
        clear(liveProblem).append(problemView(answer, 'live view'));
      }
    } catch (error) {
      if (error.name !== 'AbortError') clear(liveProblem).append(problemView({status: 0, body: {detail: error.message}}, 'live view'));
    }
    if (watching === controller) watching = null;
    if (stopped) return;
    liveState.textContent = ended ? `Live view ended (${ended}); it connects again while the agent runs.` : liveState.textContent;
    if (live) {
      await loadRecord();
      later();
    }
  }

  /** Takes the agent over, or releases it: while held, clicks, wheel turns and keys on the frame go to the page. */
  async function takeOrRelease() {
    const answer = held ? await del(`${path}/takeover`) : await post(`${path}/takeover`);
    if (stopped) return;
    if (!answer.ok) {
      if (held && answer.status === 409) setHeld(false, 'The hold had ended already.');
      else clear(liveProblem).append(problemView(answer, held ? 'releasing' : 'taking over'));
      return;
    }
    clear(liveProblem);
    setHeld(!held, held ? `Released after ${Math.round(answer.body.held_ms / 1000)} s and ${answer.body.inputs} inputs.`
      : `You hold this agent: its actions answer 409 until you release it (or after ${answer.body.idle_timeout_seconds} s without input). `
        + 'Click, scroll and type on the frame.');
  }

  function setHeld(value, text) {
    held = value;
    takeButton.setAttribute('aria-pressed', String(held));
    takeButton.textContent = held ? 'Release' : 'Take over';
    image.tabIndex = held ? 0 : -1;
    image.classList.toggle('held', held);
    holdState.textContent = text;
    if (held) image.focus();
    loadTakeover();
  }

  /** One input to the page; a point of the frame scaled to the page's viewport. */
  async function input(body) {
    if (!held) return;
    const answer = await post(`${path}/takeover/input`, body);
    if (stopped || answer.ok) return;
    if (answer.status === 409) setHeld(false, 'The hold ended (idle, or the browser stopped).');
    else clear(liveProblem).append(problemView(answer, 'input'));
  }

  function point(event) {
    const box = image.getBoundingClientRect();
    const width = viewport ? viewport.width : image.naturalWidth;
    const height = viewport ? viewport.height : image.naturalHeight;
    return {x: Math.max(0, (event.clientX - box.left) / box.width * width), y: Math.max(0, (event.clientY - box.top) / box.height * height)};
  }

  image.addEventListener('click', (event) => held && input({type: 'click', ...point(event)}));
  image.addEventListener('wheel', (event) => {
    if (!held) return;
    event.preventDefault();
    input({type: 'wheel', ...point(event), delta_x: event.deltaX, delta_y: event.deltaY});
  });
  image.addEventListener('keydown', (event) => {
    if (!held) return;
    event.preventDefault();
    const modifiers = [event.ctrlKey && 'Control', event.altKey && 'Alt', event.metaKey && 'Meta'].filter(Boolean);
    if (event.key.length === 1 && modifiers.length === 0) {
      input({type: 'type', text: event.key});
    } else if (!['Control', 'Alt', 'Meta', 'Shift'].includes(event.key)) {
      input({type: 'key', key: [...modifiers, event.shiftKey && event.key.length > 1 ? 'Shift' : null, event.key].filter(Boolean).join('+')});
    }
  });

  function later() {
    if (!stopped && frameTimer === null) frameTimer = setTimeout(watch, RECONNECT);
  }

  function unwatch() {
    if (watching) watching.abort();
    watching = null;
  }

  function show(blob) {
    const url = URL.createObjectURL(blob);
    const previous = shownUrl;
    shownUrl = url;
    image.addEventListener('load', () => previous && URL.revokeObjectURL(previous), {once: true});
    image.src = url;
    image.hidden = false;
    frames += 1;
    image.dataset.frame = String(frames);
    liveState.textContent = `Frame ${frames}, ${new Date().toLocaleTimeString()}.`;
  }

  async function act(event) {
    event.preventDefault();
    const data = new FormData(event.target);
    const type = data.get('type');
    const action = {type};
    for (const name of ACTIONS[type] || []) {
      const value = data.get(name);
      if (value !== null && value !== '') action[name] = name === 'depth' && /^\d+$/.test(value) ? Number(value) : value;
    }
    const button = event.target.querySelector('button[type=submit]');
    button.disabled = true;
    const answer = await post(`${path}/actions`, action);
    button.disabled = false;
    if (stopped) return;
    results.prepend(resultView(action, answer));
    while (results.children.length > MAX_RESULTS) results.lastElementChild.remove();
    loadRecord();
  }

  async function remove() {
    if (!window.confirm(`Delete agent ${id}? Its browser stops; its audit history stays.`)) return;
    const answer = await del(path);
    if (answer.ok) {
      location.hash = '#/agents';
    } else {
      results.prepend(h('li', {}, problemView(answer, 'deleting the agent')));
    }
  }

  const typeSelect = h('select', {name: 'type'}, Object.keys(ACTIONS).map((t) => h('option', {value: t}, t)));
  const inputs = {
    url: field('URL', h('input', {name: 'url', type: 'url', inputmode: 'url', autocomplete: 'off', placeholder: 'https://example.com'})),
    selector: field('Selector', h('input', {name: 'selector', autocomplete: 'off', spellcheck: 'false', placeholder: '#login'}),
      'CSS or Playwright selector; for text and snapshot, empty means the whole page'),
    value: field('Value', h('input', {name: 'value', autocomplete: 'off'})),
    key: field('Key', h('input', {name: 'key', autocomplete: 'off', placeholder: 'Enter'})),
    depth: field('Depth', h('input', {name: 'depth', type: 'number', min: '1', inputmode: 'numeric'}), 'How deep the snapshot goes; empty: all'),
  };
  const showInputs = () => {
    for (const [name, wrapper] of Object.entries(inputs)) {
      const used = (ACTIONS[typeSelect.value] || []).includes(name);
      wrapper.hidden = !used;
      wrapper.querySelector('input').disabled = !used;
    }
  };
  typeSelect.addEventListener('change', showInputs);
  takeButton.addEventListener('click', takeOrRelease);
  toggle.addEventListener('click', () => {
    live = !live;
    toggle.setAttribute('aria-pressed', String(live));
    toggle.textContent = live ? 'Pause live view' : 'Resume live view';
    if (live) {
      watch();
    } else {
      unwatch();
      liveState.textContent = 'Live view paused.';
    }
  });

  main.append(
    h('p', {class: 'crumbs'}, h('a', {href: '#/agents'}, '← Agents')),
    h('h1', {tabindex: '-1'}, 'Agent ', h('code', {}, id)),
    humanRequest,
    h('div', {class: 'agent-layout'},
      h('section', {'aria-labelledby': 'live-heading', class: 'panel live', id: 'live-view'},
        h('h2', {id: 'live-heading'}, 'Live view'),
        h('div', {class: 'live-frame'}, image),
        h('div', {class: 'live-bar'}, liveState, h('span', {}, toggle, ' ', takeButton)),
        holdState,
        h('p', {class: 'hint'}, 'Frames stream from the agent\'s browser as its page changes. Watching is not an action: '
          + 'frames are neither counted nor audited, only the start and end of a view are.'),
        liveProblem),
      h('section', {'aria-labelledby': 'console-heading', class: 'panel'},
        h('h2', {id: 'console-heading'}, 'Action console'),
        h('form', {class: 'action-form', onsubmit: act},
          field('Action', typeSelect),
          Object.values(inputs),
          h('button', {type: 'submit'}, 'Run action')),
        h('h3', {}, 'Results'),
        results)),
    record,
    h('section', {'aria-labelledby': 'danger-heading', class: 'panel'},
      h('h2', {id: 'danger-heading'}, 'Delete'),
      h('button', {type: 'button', class: 'danger', onclick: remove}, 'Delete agent'),
      ' ',
      h('a', {href: `#/audit?resource_id=${encodeURIComponent(id)}`}, 'Audit trail of this agent')));
  showInputs();
  loadRecord().then(watch);
  recordTimer = setInterval(loadRecord, RECORD_INTERVAL);
  return () => {
    stopped = true;
    if (held) del(`${path}/takeover`);
    unwatch();
    clearTimeout(frameTimer);
    clearInterval(recordTimer);
    if (shownUrl) URL.revokeObjectURL(shownUrl);
  };
}

function fact(name, value) {
  return h('div', {}, h('dt', {}, name), h('dd', {}, value));
}

function resultView(action, answer) {
  const label = h('p', {class: 'result-head'}, h('code', {}, action.type),
    action.url ? ` ${action.url}` : '', action.selector ? ` ${action.selector}` : '');
  if (!answer.ok) return h('li', {class: 'result failed'}, label, problemView(answer, action.type));
  const body = {...answer.body};
  const parts = [label, h('p', {}, h('strong', {}, `HTTP ${answer.status}`),
    body.title !== undefined ? ` · ${body.title}` : '', body.url ? ` · ${body.url}` : '')];
  for (const name of ['text', 'snapshot']) {
    if (typeof body[name] === 'string') parts.push(h('pre', {class: 'text-result', tabindex: '0', 'aria-label': name}, body[name]));
  }
  if (typeof body.screenshot === 'string') {
    parts.push(h('img', {class: 'shot', alt: `Screenshot of ${body.url || 'the page'}`, src: URL.createObjectURL(base64Blob(body.screenshot, 'image/png'))}));
    body.screenshot = `(${body.screenshot.length} base64 characters)`;
  }
  for (const name of ['html', 'pdf']) {
    if (typeof body[name] === 'string' && body[name].length > 2000) body[name] = `${body[name].slice(0, 2000)}… (${body[name].length} characters)`;
  }
  parts.push(h('details', {}, h('summary', {}, 'Response body'), pretty(body)));
  return h('li', {class: 'result ok'}, parts);
}

function base64Blob(text, type) {
  const bytes = Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
  return new Blob([bytes], {type});
}
