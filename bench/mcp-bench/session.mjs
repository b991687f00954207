// One scripted session, run against an MCP server through the official TypeScript SDK's client, the way an AI
// client drives it: elements are found in snapshots and named by their refs only (no CSS selector anywhere).
// The same steps go to this service's /mcp (tools with agent_id) and to Playwright MCP (browser_* tools, one
// browser); each step's wall time is taken around the tool call, from the client's side.
//
//   node session.mjs <site-url> <rounds> ours <mcp-url> <api-key>
//   node session.mjs <site-url> <rounds> playwright <command> [args...]
// Prints one line per step: "<round> <step> <kind> <ms>" (round 0 is a warm-up), then "DONE".
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";

const [site, roundsArg, server, ...rest] = process.argv.slice(2);
const rounds = Number(roundsArg);

const client = new Client({ name: "mcp-bench", version: "1" });
let agent = null;
if (server === "ours") {
    const [url, key] = rest;
    await client.connect(new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers: { "X-API-Key": key } } }));
    const created = await call("create_agent", { viewport: { width: 1280, height: 720 } });
    agent = JSON.parse(text(created)).agent_id;
} else {
    const [command, ...args] = rest;
    await client.connect(new StdioClientTransport({ command, args, stderr: "ignore" }));
}

function text(result) {
    return (result.content || []).filter(c => c.type === "text").map(c => c.text).join("\n");
}

async function call(name, args) {
    const result = await client.callTool({ name, arguments: args }, undefined, { timeout: 120000 });
    if (result.isError) {
        throw new Error(`${name} failed: ${text(result)}`);
    }
    return result;
}

// the snapshot's YAML: our tool answers it as the "snapshot" field of a JSON body, Playwright MCP inside its text
function snapshotOf(result) {
    const body = text(result);
    if (server === "ours") {
        return JSON.parse(body).snapshot;
    }
    return body;
}

function ref(snapshot, role, name) {
    const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    const found = new RegExp(`- ${role} "${escaped}"[^\\n]*\\[ref=([a-z0-9]+)\\]`).exec(snapshot);
    if (!found) {
        throw new Error(`no ${role} "${name}" in the snapshot:\n${snapshot.slice(0, 2000)}`);
    }
    return found[1];
}

// one step per kind of tool; ours and Playwright MCP's names and arguments for it (Playwright MCP 0.0.86 takes a ref
// as "target")
const steps = {
    navigate: url => server === "ours" ? ["navigate", { agent_id: agent, url }] : ["browser_navigate", { url }],
    snapshot: () => server === "ours" ? ["snapshot", { agent_id: agent }] : ["browser_snapshot", {}],
    click: (element, r) => server === "ours" ? ["click", { agent_id: agent, ref: r }] : ["browser_click", { element, target: r }],
    type: (element, r, value) => server === "ours" ? ["fill", { agent_id: agent, ref: r, value }]
        : ["browser_type", { element, target: r, text: value }],
    back: () => server === "ours" ? ["navigate_back", { agent_id: agent }] : ["browser_navigate_back", {}],
    screenshot: () => server === "ours" ? ["screenshot", { agent_id: agent }] : ["browser_take_screenshot", { type: "png", scale: "css" }],
    // list, select or close the tabs (a page the session's click opened among them); index from 0 in both
    tabs: (action, more = {}) => server === "ours" ? ["tabs", { agent_id: agent, action, ...more }] : ["browser_tabs", { action, ...more }],
};

// the number of tabs a tabs answer lists: ours answers JSON with a tabs array, Playwright MCP a markdown list
function tabCount(result) {
    const body = text(result);
    if (server === "ours") {
        return JSON.parse(body).tabs.length;
    }
    return (body.match(/^- \d+:/gm) || []).length;
}

let line = [];
async function step(round, index, kind, ...args) {
    const [name, toolArgs] = steps[kind](...args);
    const started = process.hrtime.bigint();
    const result = await call(name, toolArgs);
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    line.push(`${round} ${index} ${kind} ${ms.toFixed(2)}`);
    return result;
}

// A snapshot that must show what the previous step did (a page a click opened, say). A tool may answer before a
// navigation it started has loaded, so the snapshot is taken again until it shows `expected` (10 s at most); the
// step's time runs from the first call to the snapshot that shows it: the time until the client can see the result.
async function snapshotShowing(round, index, expected) {
    const started = process.hrtime.bigint();
    for (let attempt = 0; ; attempt++) {
        const snap = snapshotOf(await call(...steps.snapshot()));
        if (snap.includes(expected)) {
            const ms = Number(process.hrtime.bigint() - started) / 1e6;
            line.push(`${round} ${index} snapshot ${ms.toFixed(2)} ${attempt}`);
            return snap;
        }
        if (Number(process.hrtime.bigint() - started) / 1e6 > 10000) {
            throw new Error(`no "${expected}" in the snapshot:\n${snap.slice(0, 2000)}`);
        }
        await new Promise(resolve => setTimeout(resolve, 20));
    }
}

// 20 steps, twice per round: 40 steps (the 30 of the first version and 5 tabs steps per pass)
async function session(round) {
    let n = 0;
    for (let pass = 0; pass < 2; pass++) {
        await step(round, ++n, "navigate", `${site}/index.html`);
        let snap = await snapshotShowing(round, ++n, "Sign-up form");
        // tabs: a page opened in a new tab, the tabs listed, the new one selected, seen, and closed (back to the first).
        // Opened by the tool, not by a target=_blank link: our headless agents run on Chromium's headless shell, which
        // is launched with --block-new-web-contents, so a page there opens no window (ChromiumLaunch)
        await step(round, ++n, "tabs", "new", { url: `${site}/tab.html` });
        const listed = await step(round, ++n, "tabs", "list");
        if (tabCount(listed) !== 2) {
            throw new Error(`expected 2 tabs:\n${text(listed).slice(0, 2000)}`);
        }
        await step(round, ++n, "tabs", "select", { index: 1 });
        await snapshotShowing(round, ++n, "Bench tab");
        await step(round, ++n, "tabs", "close", { index: 1 });
        // the first tab's refs still hold: its page has not changed
        await step(round, ++n, "click", "Sign-up form link", ref(snap, "link", "Sign-up form"));
        snap = await snapshotShowing(round, ++n, "Comment");
        await step(round, ++n, "type", "Name textbox", ref(snap, "textbox", "Name"), "Ada Lovelace");
        await step(round, ++n, "type", "Email textbox", ref(snap, "textbox", "Email"), "ada@example.org");
        await step(round, ++n, "type", "Comment textbox", ref(snap, "textbox", "Comment"), "Round " + round);
        await step(round, ++n, "click", "Send button", ref(snap, "button", "Send"));
        await snapshotShowing(round, ++n, "Thanks, Ada Lovelace");
        await step(round, ++n, "back");
        snap = await snapshotShowing(round, ++n, "Show more");
        await step(round, ++n, "click", "Show more button", ref(snap, "button", "Show more"));
        await snapshotShowing(round, ++n, "More is shown");
        await step(round, ++n, "screenshot");
        await step(round, ++n, "navigate", `${site}/index.html`);
    }
}

try {
    for (let round = 0; round <= rounds; round++) {
        await session(round);
        console.log(line.join("\n"));
        line = [];
    }
    console.log("DONE");
} finally {
    if (agent) {
        await client.callTool({ name: "delete_agent", arguments: { agent_id: agent } }).catch(() => {});
    }
    await client.close();
}
