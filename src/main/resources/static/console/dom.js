// Building DOM without HTML strings: the page's Trusted Types policy ('none') refuses innerHTML and friends.

/** h('button', {class: 'x', onclick: f, disabled: true}, 'Text', child, [more]) */
export function h(tag, attributes, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on') && typeof value === 'function') {
      element.addEventListener(name.slice(2), value);
    } else if (name === 'class') {
      element.className = value;
    } else if (value === true) {
      element.setAttribute(name, '');
    } else {
      element.setAttribute(name, String(value));
    }
  }
  append(element, children);
  return element;
}

export function append(element, children) {
  for (const child of [children].flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    element.append(child instanceof Node ? child : String(child));
  }
  return element;
}

export function clear(element) {
  element.replaceChildren();
  return element;
}

/** A timestamp as the reader's local time, with the exact instant in datetime/title. */
export function when(iso) {
  if (!iso) return h('span', {class: 'muted'}, '—');
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return String(iso);
  return h('time', {datetime: iso, title: iso}, date.toLocaleString());
}

export function badge(status) {
  const value = status == null ? 'unknown' : String(status);
  return h('span', {class: `badge badge-${value.replace(/[^a-z_]/gi, '')}`}, value);
}

/** A labelled form control: label above, control below, optional hint. */
export function field(label, control, hint) {
  const id = control.id || `f-${Math.random().toString(36).slice(2, 9)}`;
  control.id = id;
  const parts = [h('label', {for: id}, label), control];
  if (hint) {
    const hintId = `${id}-hint`;
    control.setAttribute('aria-describedby', hintId);
    parts.push(h('small', {id: hintId, class: 'hint'}, hint));
  }
  return h('div', {class: 'field'}, parts);
}

export function select(name, options, selected) {
  return h('select', {name}, options.map(([value, text]) =>
    h('option', {value, selected: value === selected}, text)));
}

export function pretty(value) {
  return h('pre', {class: 'json', tabindex: '0'}, JSON.stringify(value, null, 2));
}

/** A table that turns into labelled cards on narrow screens (CSS reads data-label). */
export function table(caption, columns, rows) {
  return h('div', {class: 'table-wrap'},
    h('table', {class: 'grid'},
      h('caption', {class: 'visually-hidden'}, caption),
      h('thead', {}, h('tr', {}, columns.map((c) => h('th', {scope: 'col'}, c)))),
      h('tbody', {}, rows.length === 0
        ? h('tr', {}, h('td', {colspan: columns.length, class: 'empty'}, 'Nothing to show.'))
        : rows.map((cells) => h('tr', {}, cells.map((cell, i) => h('td', {'data-label': columns[i]}, cell)))))));
}
