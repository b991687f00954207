// The task queue: the caller's tasks (all of them for an admin), newest first, with cancel.
import {get, post, problemView, query} from '../api.js';
import {badge, clear, field, h, pretty, select, table, when} from '../dom.js';
import {Pager} from '../paging.js';

const STATUSES = ['pending', 'running', 'completed', 'failed', 'cancelled'];
const PRIORITIES = ['urgent', 'high', 'medium', 'low'];
const BASE = '/api/agents/mcp/tasks';

export function tasksPage(main) {
  const pager = new Pager(20);
  const status = select('status', [['', 'any status'], ...STATUSES.map((s) => [s, s])], '');
  const priority = select('priority', [['', 'any priority'], ...PRIORITIES.map((p) => [p, p])], '');
  const type = h('input', {name: 'task_type', autocomplete: 'off', spellcheck: 'false'});
  const listing = h('section', {'aria-labelledby': 'tasks-list-heading'});
  const notices = h('div', {'aria-live': 'polite'});
  let stopped = false;

  async function load() {
    const answer = await get(`${BASE}${query({status: status.value, priority: priority.value,
      task_type: type.value.trim(), ...pager.parameters()})}`);
    if (stopped) return;
    clear(listing).append(h('h2', {id: 'tasks-list-heading'}, 'Tasks, newest first'));
    if (!answer.ok) {
      listing.append(problemView(answer, 'listing tasks'));
      return;
    }
    listing.append(
      table('Tasks', ['Task', 'Type', 'Status', 'Priority', 'Attempts', 'Owner', 'Created', 'Result / error', ''],
        (answer.body.tasks || []).map((task) => [
          h('span', {}, h('strong', {}, task.title), h('br'), h('code', {class: 'muted'}, task.id)),
          h('code', {}, task.task_type),
          h('span', {}, badge(task.status), task.cancel_requested ? ' cancel requested' : ''),
          task.priority,
          `${task.attempts} / ${task.max_attempts}`,
          task.created_by || '—',
          when(task.created_at),
          task.error || task.result
            ? h('details', {}, h('summary', {}, task.error ? 'Error' : 'Result'), pretty(task.error || task.result))
            : h('span', {class: 'muted'}, '—'),
          task.status === 'pending' || (task.status === 'running' && !task.cancel_requested)
            ? h('button', {type: 'button', onclick: () => cancel(task)}, 'Cancel', h('span', {class: 'visually-hidden'}, ` ${task.title}`))
            : '',
        ])),
      pager.controls(answer.body, 'tasks', load));
  }

  async function cancel(task) {
    const answer = await post(`${BASE}/${encodeURIComponent(task.id)}/cancel`);
    clear(notices).append(answer.ok
      ? h('p', {class: 'done'}, `Task ${task.id}: ${answer.body.task.status}${answer.status === 202 ? ' (cancelled at its next yield)' : ''}.`)
      : problemView(answer, `cancelling ${task.id}`));
    load();
  }

  main.append(
    h('h1', {tabindex: '-1'}, 'Task queue'),
    h('form', {class: 'filters', role: 'search', 'aria-label': 'Filter tasks',
      onsubmit: (event) => { event.preventDefault(); pager.reset(); load(); }},
    field('Status', status), field('Priority', priority), field('Task type', type, 'generic, browser.actions…'),
    h('button', {type: 'submit'}, 'Apply'),
    h('button', {type: 'button', onclick: load}, 'Refresh')),
    notices,
    listing);
  for (const control of [status, priority]) control.addEventListener('change', () => { pager.reset(); load(); });
  load();
  return () => { stopped = true; };
}
