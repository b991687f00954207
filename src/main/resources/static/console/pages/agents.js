// Agents: list with status filter and paging, and a form to create one.
import {get, post, problemView, query} from '../api.js';
import {badge, clear, field, h, select, table, when} from '../dom.js';
import {Pager} from '../paging.js';

const STATUSES = ['created', 'starting', 'running', 'stopped', 'error'];

export function agentsPage(main) {
  const pager = new Pager(20);
  const statusFilter = select('status', [['', 'any status'], ...STATUSES.map((s) => [s, s])], '');
  const textFilter = h('input', {type: 'search', name: 'contains', autocomplete: 'off'});
  const listing = h('section', {'aria-labelledby': 'agents-list-heading'});
  const createResult = h('div', {'aria-live': 'polite'});
  let latest = null;
  let stopped = false;

  async function load() {
    const answer = await get(`/api/agents/browser${query({status: statusFilter.value, ...pager.parameters()})}`);
    if (stopped) return;
    latest = answer;
    draw();
  }

  function draw() {
    clear(listing);
    listing.append(h('h2', {id: 'agents-list-heading'}, 'Agents'));
    if (!latest.ok) {
      listing.append(problemView(latest, 'listing agents'));
      return;
    }
    const needle = textFilter.value.trim().toLowerCase();
    const agents = (latest.body.agents || []).filter((agent) => !needle
      || String(agent.agent_id).toLowerCase().includes(needle)
      || String(agent.created_by || '').toLowerCase().includes(needle));
    listing.append(
      table('Agents', ['Agent', 'Status', 'Owner', 'Channel', 'Last action', 'Actions / errors', 'Created'],
        agents.map((agent) => [
          h('a', {href: `#/agents/${encodeURIComponent(agent.agent_id)}`, class: 'agent-link'}, agent.agent_id),
          h('span', {}, badge(agent.status), agent.status_reason ? h('small', {class: 'reason'}, ` ${agent.status_reason}`) : null),
          agent.created_by || '—',
          agent.effective_channel && agent.effective_channel !== agent.channel
            ? `${agent.channel} → ${agent.effective_channel}` : (agent.channel || '—'),
          when(agent.last_action_at),
          h('span', {class: agent.total_errors > 0 ? 'errors' : ''}, `${agent.total_actions} / ${agent.total_errors}`),
          when(agent.created_at),
        ])),
      pager.controls(latest.body, 'agents', load));
  }

  async function create(event) {
    event.preventDefault();
    const form = event.target;
    const data = new FormData(form);
    const body = {channel: data.get('channel'), headless: data.get('headless') === 'on'};
    if (data.get('agent_id')) body.agent_id = data.get('agent_id').trim();
    clear(createResult).append(h('p', {class: 'muted'}, 'Creating (launching a browser)…'));
    const button = form.querySelector('button[type=submit]');
    button.disabled = true;
    const answer = await post('/api/agents/browser', body);
    button.disabled = false;
    clear(createResult);
    if (!answer.ok) {
      createResult.append(problemView(answer, 'creating an agent'));
      return;
    }
    const id = answer.body.agent_id;
    createResult.append(h('p', {class: 'done'}, 'Created ',
      h('a', {href: `#/agents/${encodeURIComponent(id)}`}, id), ' — status ', badge(answer.body.status)));
    form.reset();
    pager.reset();
    load();
  }

  main.append(
    h('h1', {tabindex: '-1'}, 'Agents'),
    h('form', {class: 'filters', role: 'search', 'aria-label': 'Filter agents', onsubmit: (e) => { e.preventDefault(); pager.reset(); load(); }},
      field('Status', statusFilter),
      field('Agent or owner contains', textFilter, 'Narrows the page shown'),
      h('button', {type: 'submit'}, 'Apply'),
      h('button', {type: 'button', onclick: load}, 'Refresh')),
    listing,
    h('section', {'aria-labelledby': 'create-heading', class: 'panel'},
      h('h2', {id: 'create-heading'}, 'Create an agent'),
      h('form', {class: 'inline-form', onsubmit: create},
        field('Agent id (optional)', h('input', {name: 'agent_id', autocomplete: 'off'}),
          'Left empty: a random id'),
        field('Channel', select('channel', [['chromium', 'chromium'], ['chrome', 'chrome'], ['msedge', 'msedge']], 'chromium')),
        h('div', {class: 'field check'}, h('input', {type: 'checkbox', name: 'headless', id: 'create-headless', checked: true}),
          h('label', {for: 'create-headless'}, 'Headless')),
        h('button', {type: 'submit'}, 'Create agent')),
      createResult));
  statusFilter.addEventListener('change', () => { pager.reset(); load(); });
  textFilter.addEventListener('input', () => latest && draw());
  load();
  return () => { stopped = true; };
}
