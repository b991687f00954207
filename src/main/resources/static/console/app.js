// The console's shell: API key handling and a hash router over the pages.
import {credentials, get, isJwt, problemView} from './api.js';
import {clear, h} from './dom.js';
import {agentsPage} from './pages/agents.js';
import {agentPage} from './pages/agent.js';
import {auditPage} from './pages/audit.js';
import {tasksPage} from './pages/tasks.js';
import {healthPage} from './pages/health.js';

const routes = [
  [/^#\/agents\/([^/]+)$/, 'agents', (main, [id]) => agentPage(main, decodeURIComponent(id))],
  [/^#\/agents$/, 'agents', (main) => agentsPage(main)],
  [/^#\/audit$/, 'audit', (main, groups, parameters) => auditPage(main, parameters)],
  [/^#\/tasks$/, 'tasks', (main) => tasksPage(main)],
  [/^#\/health$/, 'health', (main) => healthPage(main)],
];

const main = document.getElementById('main');
const keyForm = document.getElementById('key-form');
const keyInput = document.getElementById('api-key');
const keyState = document.getElementById('key-state');
let leave = null;

function showKeyState() {
  const credential = credentials.get();
  keyState.textContent = !credential ? 'No key: enter an API key (or a token from the identity provider) to call the API.'
    : isJwt(credential) ? 'Token in use (kept in this tab only).' : 'Key in use (kept in this tab only).';
  keyForm.classList.toggle('has-key', Boolean(credentials.get()));
}

/** A key is kept only once the API has accepted it. */
async function useKey(event) {
  event.preventDefault();
  const key = keyInput.value.trim();
  if (!key) return;
  keyState.textContent = 'Checking the key…';
  const answer = await get('/api/agents/browser?size=1', {key});
  const old = main.querySelector('.key-problem');
  if (old) old.remove();
  if (!answer.ok) {
    showKeyState();
    keyState.textContent = `Key refused (HTTP ${answer.status}).`;
    main.prepend(h('div', {class: 'key-problem'}, problemView(answer, 'checking the key')));
    keyInput.focus();
    return;
  }
  credentials.set(key);
  keyInput.value = '';
  showKeyState();
  route();
}

function forgetKey() {
  credentials.clear();
  keyInput.value = '';
  showKeyState();
  route();
}

/** Draws the page the hash names; moves focus to its heading when the operator navigated there. */
function route(event) {
  if (!location.hash.startsWith('#/')) {
    if (!location.hash || !main.hasChildNodes() || main.querySelector('noscript')) {
      history.replaceState(null, '', '#/agents');
    } else {
      return; // an in-page link such as "Skip to content"
    }
  }
  if (leave) leave();
  leave = null;
  clear(main);
  const [hashPath, hashQuery = ''] = location.hash.split('?');
  const match = routes.map(([pattern, section, page]) => [hashPath.match(pattern), section, page])
    .find(([found]) => found);
  for (const link of document.querySelectorAll('nav a[data-section]')) {
    link.toggleAttribute('aria-current', Boolean(match) && link.dataset.section === match[1]);
    if (match && link.dataset.section === match[1]) link.setAttribute('aria-current', 'page');
  }
  if (!match) {
    main.append(h('h1', {tabindex: '-1'}, 'Not found'), h('p', {}, 'No such page. ', h('a', {href: '#/agents'}, 'Agents')));
    return;
  }
  const [found, , page] = match;
  leave = page(main, found.slice(1), new URLSearchParams(hashQuery)) || null;
  const heading = main.querySelector('h1');
  if (heading && event && event.type === 'hashchange') heading.focus({preventScroll: true});
}

keyForm.addEventListener('submit', useKey);
document.getElementById('forget-key').addEventListener('click', forgetKey);
window.addEventListener('hashchange', route);
showKeyState();
route();
