// The audit trail, newest first, with the API's filters (admin keys only: others get the API's 403).
import {get, problemView, query} from '../api.js';
import {badge, clear, field, h, pretty, table, when} from '../dom.js';
import {Pager} from '../paging.js';

const FILTERS = [
  ['resource_type', 'Resource type', 'agent, task, project…'],
  ['resource_id', 'Resource id', null],
  ['event_type', 'Event type', 'agent.create, agent.action, task.created…'],
  ['user_id', 'User', null],
];

export function auditPage(main, parameters) {
  const pager = new Pager(50);
  const listing = h('section', {'aria-labelledby': 'audit-list-heading'});
  const inputs = Object.fromEntries(FILTERS.map(([name]) =>
    [name, h('input', {name, autocomplete: 'off', spellcheck: 'false', value: parameters.get(name) || ''})]));
  const from = h('input', {name: 'from', type: 'datetime-local', step: '1'});
  const to = h('input', {name: 'to', type: 'datetime-local', step: '1'});
  let stopped = false;

  async function load() {
    const filters = Object.fromEntries(Object.entries(inputs).map(([name, input]) => [name, input.value.trim()]));
    const answer = await get(`/api/audit${query({...filters, from: instant(from.value), to: instant(to.value), ...pager.parameters()})}`);
    if (stopped) return;
    clear(listing).append(h('h2', {id: 'audit-list-heading'}, 'Entries, newest first'));
    if (!answer.ok) {
      listing.append(problemView(answer, 'reading the audit trail'));
      return;
    }
    listing.append(
      table('Audit entries', ['Time', 'Event', 'Action', 'Resource', 'User', 'Outcome', 'Details'],
        (answer.body.entries || []).map((entry) => [
          when(entry.timestamp),
          h('span', {}, h('code', {class: 'event'}, entry.event_type), summary(entry)),
          entry.action,
          h('span', {}, entry.resource_type, ' ', h('code', {}, entry.resource_id || '')),
          h('span', {}, entry.user_id || '—', entry.ip_address ? h('small', {class: 'muted'}, ` ${entry.ip_address}`) : null),
          entry.success ? badge('ok') : h('span', {}, badge('failed'), ' ', entry.error_message || ''),
          details(entry),
        ])),
      pager.controls(answer.body, 'entries', load));
  }

  main.append(
    h('h1', {tabindex: '-1'}, 'Audit trail'),
    h('form', {class: 'filters', role: 'search', 'aria-label': 'Filter audit entries',
      onsubmit: (event) => { event.preventDefault(); pager.reset(); load(); }},
    FILTERS.map(([name, label, hint]) => field(label, inputs[name], hint)),
    field('From (inclusive)', from),
    field('To (exclusive)', to),
    h('button', {type: 'submit'}, 'Apply'),
    h('button', {type: 'button', onclick: load}, 'Refresh')),
    listing);
  load();
  return () => { stopped = true; };
}

/** datetime-local (the reader's zone) as the ISO-8601 instant the API takes. */
function instant(local) {
  if (!local) return '';
  const date = new Date(local);
  return Number.isNaN(date.getTime()) ? local : date.toISOString();
}

/** What the entry's details name first: an action's type, a task's status. */
function summary(entry) {
  const details = entry.details && typeof entry.details === 'object' ? entry.details : {};
  const word = details.type || details.action || details.status;
  return typeof word === 'string' ? h('small', {class: 'muted'}, ` ${word}`) : null;
}

function details(entry) {
  const shown = {};
  for (const name of ['details', 'old_value', 'new_value', 'user_email', 'user_agent']) {
    if (entry[name] !== null && entry[name] !== undefined) shown[name] = entry[name];
  }
  if (Object.keys(shown).length === 0) return h('span', {class: 'muted'}, '—');
  return h('details', {}, h('summary', {}, 'Show'), pretty(shown));
}
