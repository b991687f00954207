// Health: the seed readiness report drawn as components, and the rate limit this key last saw.
import {get, limits} from '../api.js';
import {badge, clear, h, when} from '../dom.js';

const REFRESH = 5000;

export function healthPage(main) {
  const report = h('section', {'aria-labelledby': 'components-heading'});
  const limit = h('section', {'aria-labelledby': 'limits-heading', class: 'panel'});
  let stopped = false;
  let timer = null;

  async function load() {
    clearTimeout(timer);
    const answer = await get('/api/agents/health/ready');
    if (stopped) return;
    drawReport(answer);
    drawLimits();
    timer = setTimeout(load, REFRESH);
  }

  function drawReport(answer) {
    clear(report);
    const body = answer.body && typeof answer.body === 'object' ? answer.body : {};
    report.append(h('h2', {id: 'components-heading'}, 'Readiness ',
      badge(body.status || (answer.ok ? 'ready' : 'not_ready')),
      h('small', {class: 'muted'}, ` HTTP ${answer.status}`, body.timestamp ? ' · ' : '', body.timestamp ? when(body.timestamp) : '')));
    const components = body.components && typeof body.components === 'object' ? Object.entries(body.components) : [];
    if (components.length === 0) {
      report.append(h('p', {}, 'The report has no components.'), h('pre', {class: 'json'}, JSON.stringify(answer.body, null, 2)));
      return;
    }
    report.append(h('ul', {class: 'cards'}, components.map(([name, component]) => card(name, component))));
  }

  function drawLimits() {
    clear(limit).append(h('h2', {id: 'limits-heading'}, 'Rate limit of this key'));
    const seen = limits.latest;
    if (!seen) {
      limit.append(h('p', {class: 'muted'}, 'No limited API answer seen yet in this tab (health and probes are never limited).'));
      return;
    }
    const used = seen.limit > 0 ? Math.round(100 * (seen.limit - seen.remaining) / seen.limit) : 0;
    limit.append(
      h('p', {}, `${seen.remaining} of ${seen.limit} requests left in this window; full again at `,
        when(new Date(seen.reset * 1000).toISOString()), '.'),
      h('meter', {min: '0', max: String(seen.limit), value: String(seen.remaining), 'aria-label': 'Requests left',
        low: String(Math.ceil(seen.limit / 10)), high: String(Math.ceil(seen.limit / 2)), optimum: String(seen.limit)}),
      h('p', {class: 'hint'}, `${used} % used, from the X-RateLimit-* headers of the API answer at ${seen.seen.toLocaleTimeString()}.`));
  }

  main.append(
    h('h1', {tabindex: '-1'}, 'Health'),
    h('p', {}, h('button', {type: 'button', onclick: load}, 'Refresh'),
      h('span', {class: 'hint'}, ` Refreshed every ${REFRESH / 1000} s from /api/agents/health/ready.`)),
    report, limit);
  load();
  return () => { stopped = true; clearTimeout(timer); };
}

/** One component: its status as a badge, everything else it reports as name/value pairs. */
function card(name, component) {
  const value = component && typeof component === 'object' ? component : {status: component};
  const rows = flatten(value).filter(([key]) => key !== 'status');
  return h('li', {class: `card card-${String(value.status || 'unknown').replace(/[^a-z_]/gi, '')}`},
    h('h3', {}, name.replace(/_/g, ' ')),
    badge(value.status || 'unknown'),
    rows.length ? h('dl', {class: 'facts'}, rows.map(([key, item]) =>
      h('div', {}, h('dt', {}, key.replace(/_/g, ' ')), h('dd', {}, item)))) : null);
}

function flatten(object, prefix = '') {
  return Object.entries(object).flatMap(([key, value]) => {
    const name = prefix ? `${prefix}.${key}` : key;
    if (value && typeof value === 'object' && !Array.isArray(value)) return flatten(value, name);
    return [[name, Array.isArray(value) ? value.join(', ') : String(value)]];
  });
}
