package dev.agentapi.browser;

/**
 * The few functions the service itself evaluates in pages, to measure a result before it is pulled in. Those
 * run in the page's own world, where its scripts may have replaced any prototype, so they are written to stay
 * bounded whatever the page did: they call no method a page can replace on the way to their answer, and answer
 * either a primitive string no longer than the {@code max} they are given or, instead, its length (a number).
 * A page can make them answer nonsense about itself, never something large. {@link #SNAPSHOT_SIZE} runs in an
 * isolated world of the service's own (pristine prototypes) with the page's scripts paused, because what it
 * measures is pulled in by Playwright, not by it.
 */
final class PageScripts {

    /** {@code (element, max)}: the element's rendered text ({@code innerText}), or its length when over {@code max}. */
    static final String TEXT = """
            (element, max) => {
              const text = '' + ('innerText' in element ? element.innerText : element.textContent);
              return text.length > max ? text.length : text;
            }""";

    /** {@code max}: the document's HTML as {@code page.content()} has it (doctype and root element), or its length. */
    static final String CONTENT = """
            (max) => {
              let html = '';
              if (document.doctype) {
                html = '' + new XMLSerializer().serializeToString(document.doctype);
              }
              if (document.documentElement) {
                html = html + document.documentElement.outerHTML;
              }
              return html.length > max ? html.length : html;
            }""";

    /**
     * {@code (value, max)}: the value as JSON text ({@code undefined} for undefined, its string form when JSON cannot
     * say it: a cycle, a BigInt), or the text's length when over {@code max}.
     */
    static final String JSON_OF = """
            (value, max) => {
              let text;
              try {
                text = JSON.stringify(value);
              } catch (e) {
                text = String(value);
              }
              if (text === undefined) {
                text = 'undefined';
              }
              return text.length > max ? text.length : text;
            }""";

    /** {@code max}: the title, or its length when over {@code max} (a failing title getter is an empty title). */
    static final String TITLE = """
            (max) => {
              let title = '';
              try {
                title = '' + document.title;
              } catch (e) {
                return '';
              }
              return title.length > max ? title.length : title;
            }""";

    /**
     * The size of the whole page as Playwright measures it for a full-page screenshot (the largest of the root's
     * and the body's scroll, offset and client sizes), as {@code "width,height"}.
     */
    static final String PAGE_SIZE = """
            () => {
              const root = document.documentElement;
              const body = document.body;
              const widths = [root && root.scrollWidth, root && root.offsetWidth, root && root.clientWidth,
                body && body.scrollWidth, body && body.offsetWidth, body && body.clientWidth];
              const heights = [root && root.scrollHeight, root && root.offsetHeight, root && root.clientHeight,
                body && body.scrollHeight, body && body.offsetHeight, body && body.clientHeight];
              let width = 0;
              let height = 0;
              for (let i = 0; i < 6; i++) {
                if (typeof widths[i] === 'number' && widths[i] > width) {
                  width = widths[i];
                }
                if (typeof heights[i] === 'number' && heights[i] > height) {
                  height = heights[i];
                }
              }
              return '' + width + ',' + height;
            }""";

    /**
     * An upper bound of the characters of Playwright's ARIA snapshot of the document (default mode), stopping as soon
     * as it passes {@code LIMIT} (replaced before use). It visits what Playwright's snapshot visits (light children,
     * open shadow roots) and counts, with YAML/JSON escaping at its worst: every text node; for every element its
     * line, indentation and states, its name (Playwright renders names of at most 900 characters; a name comes
     * from the element's attributes, its subtree's text or labels elsewhere), its {@code href}, placeholder and
     * value, and its {@code ::before}/{@code ::after} content. An expression for {@code Runtime.evaluate}.
     *
     * <p>The snapshot takes in the frames' documents too, so the walk goes on into every frame element's document it
     * can reach (its world is granted universal access, so a cross-origin frame in the page's process is reached as
     * well). A frame in a process of its own is not reachable from here: the expression answers {@code [size,
     * unreached]}, the number of frame elements whose document it could not walk, which the caller measures in
     * their own processes. Past {@code LIMIT} it answers at once, with what it counted so far.
     */
    static final String SNAPSHOT_SIZE = """
            (() => {
              const limit = LIMIT;
              const escapes = /[\\u0000-\\u001f\\u007f-\\u009f"\\\\]/g;
              const escaped = (text) => {
                if (text.length > limit) {
                  return text.length;
                }
                escapes.lastIndex = 0;
                let extra = 0;
                while (escapes.exec(text) !== null) {
                  extra += 5;
                }
                return text.length + extra;
              };
              const pseudo = (element, which) => {
                const content = (element.ownerDocument.defaultView || window).getComputedStyle(element, which).content;
                return !content || content === 'none' || content === 'normal' ? '' : content;
              };
              const root = document.body || document.documentElement;
              if (!root) {
                return [0, 0];
              }
              let total = 0;
              let unreached = 0;
              let lines = 0;
              let maxDepth = 0;
              let owners = 0;
              const parents = [];
              const below = [];
              const own = [];
              const stack = [[root, 0, -1]];
              while (stack.length) {
                const [node, depth, parent] = stack.pop();
                if (node.nodeType === Node.TEXT_NODE) {
                  const length = node.nodeValue ? node.nodeValue.length : 0;
                  total += escaped(node.nodeValue || '') + 12;
                  lines++;
                  if (parent >= 0) {
                    below[parent] += length;
                  }
                } else if (node.nodeType === Node.ELEMENT_NODE) {
                  const index = parents.length;
                  parents.push(parent);
                  let attributes = 0;
                  for (const attribute of node.attributes) {
                    attributes += attribute.value.length;
                  }
                  const generated = pseudo(node, '::before') + pseudo(node, '::after');
                  let text = generated.length;
                  if (generated.indexOf('attr(') >= 0) {
                    text += 2 * attributes;
                  }
                  const value = typeof node.value === 'string' ? node.value.length : 0;
                  const labelled = node.hasAttribute('aria-labelledby') || (node.labels && node.labels.length > 0);
                  below.push(text);
                  own.push(attributes + (labelled ? 900 : 0));
                  const href = node.getAttribute('href');
                  const placeholder = node.getAttribute('placeholder');
                  total += 200 + 6 * (text + value + (href ? href.length : 0) + (placeholder ? placeholder.length : 0));
                  lines += 3;
                  if (node.hasAttribute('aria-owns')) {
                    owners++;
                  }
                  if (depth > maxDepth) {
                    maxDepth = depth;
                  }
                  for (let child = node.lastChild; child; child = child.previousSibling) {
                    stack.push([child, depth + 1, index]);
                  }
                  if (node.contentWindow) {
                    let inner = null;
                    try {
                      inner = node.contentDocument;
                    } catch (e) {
                      inner = null;
                    }
                    const innerRoot = inner && (inner.body || inner.documentElement);
                    if (innerRoot) {
                      stack.push([innerRoot, depth + 1, index]);
                    } else if (!inner) {
                      unreached++;
                    }
                  }
                  if (node.shadowRoot) {
                    for (let child = node.shadowRoot.lastChild; child; child = child.previousSibling) {
                      stack.push([child, depth + 1, index]);
                    }
                  }
                }
                if (total > limit) {
                  return [total, unreached];
                }
              }
              for (let i = parents.length - 1; i >= 0; i--) {
                total += 6 * Math.min(900, own[i] + below[i]) + 2;
                if (parents[i] >= 0) {
                  below[parents[i]] += below[i];
                }
              }
              const indent = 2 * (owners > 0 ? 2 * maxDepth + 2 : maxDepth + 1);
              return [total + lines * indent, unreached];
            })()""";

    private PageScripts() {
    }

    /** {@link #SNAPSHOT_SIZE} stopping at {@code limit}: {@code [size, unreached]}. */
    static String snapshotSize(long limit) {
        return SNAPSHOT_SIZE.replace("LIMIT", Long.toString(limit));
    }

    /**
     * {@link #SNAPSHOT_SIZE} stopping at {@code limit}, and the document's title, as {@code [size, unreached, title]}: one
     * evaluation where a snapshot took two (a round trip to the browser less). The title is read in the same isolated
     * world, where the page cannot have replaced {@code document.title}'s getter, and answered as {@link #TITLE}
     * answers it: empty when longer than {@code maxTitle}.
     */
    static String snapshotSizeAndTitle(long limit, int maxTitle) {
        return "[..." + snapshotSize(limit) + ", (() => { const title = '' + document.title; return title.length > "
                + maxTitle + " ? '' : title; })()]";
    }
}
