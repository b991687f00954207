'use strict';
// Loaded into Playwright's driver (node --require) by the Agent API service; see DriverMessageGuard.java.
//
// The driver sends the service length-prefixed JSON messages on stdout (a 4-byte little-endian length, then
// the message). Playwright's Java client reads each one whole into memory before looking at it, so a page
// could make the service allocate whatever it likes: an uncaught error with a 100 MB message (every page
// error is sent, listened to or not), a huge snapshot, a huge title. This guard judges each message by its
// length and first bytes before any of it is written:
//   - a reply ({"id":N,...}) longer than AGENT_API_DRIVER_MAX_MESSAGE becomes an error reply to the same call;
//   - page errors are never sent (the service does not listen to them);
//   - any other event longer than 16 KiB is dropped, except the object lifecycle (__create__, __adopt__,
//     __dispose__), which the client needs to stay consistent.
(() => {
  if (!process.argv.includes('run-driver')) {
    return; // another command of the same driver (launch-server, install) prints plain text on stdout
  }
  const max = Number(process.env.AGENT_API_DRIVER_MAX_MESSAGE) || 32 * 1024 * 1024;
  const maxEvent = 16 * 1024; // 1000 of them queued in the client (its queue's bound) are 16 MB
  const peek = 192;
  const lifecycle = new Set(['__create__', '__adopt__', '__dispose__']);
  const unwanted = new Set(['pageError']);
  const out = process.stdout;
  const write = out.write.bind(out);
  let header = [];     // bytes of the current length prefix read so far
  let length = -1;     // data bytes of the current message; -1 while its prefix is incomplete
  let left = 0;        // data bytes of the current message not seen yet
  let held = [];       // its first chunks, held until it is judged
  let heldBytes = 0;
  let verdict = null;  // null: not judged yet; 'pass' or 'drop'

  const prefix = (n) => {
    const bytes = Buffer.alloc(4);
    bytes.writeUInt32LE(n, 0);
    return bytes;
  };

  const judge = () => {
    const start = Buffer.concat(held, heldBytes).subarray(0, peek).toString('latin1');
    const reply = /^\{"id":(\d+),/.exec(start);
    if (reply) {
      if (length <= max) {
        return 'pass';
      }
      const error = Buffer.from(JSON.stringify({ id: Number(reply[1]), error: { error: { name: 'Error', stack: '',
        message: 'AGENT_API_MESSAGE_TOO_LARGE: the result is ' + length + ' bytes, over the ' + max
          + ' bytes the service takes from its browser driver' } } }), 'utf-8');
      write(prefix(error.length));
      write(error);
      return 'drop';
    }
    const event = /^\{"guid":"[^"]*","method":"([^"]+)"/.exec(start);
    if (event && (unwanted.has(event[1]) || (length > maxEvent && !lifecycle.has(event[1])))) {
      return 'drop';
    }
    return !event && length > max ? 'drop' : 'pass';
  };

  const take = (data) => {
    while (data.length) {
      if (length < 0) {
        const n = Math.min(4 - header.length, data.length);
        for (let i = 0; i < n; i++) {
          header.push(data[i]);
        }
        data = data.subarray(n);
        if (header.length === 4) {
          length = Buffer.from(header).readUInt32LE(0);
          left = length;
          held = [];
          heldBytes = 0;
          verdict = null;
          if (length === 0) {
            write(Buffer.from(header));
            header = [];
            length = -1;
          }
        }
        continue;
      }
      const part = data.subarray(0, Math.min(left, data.length));
      data = data.subarray(part.length);
      left -= part.length;
      if (verdict === null) {
        held.push(part);
        heldBytes += part.length;
        if (heldBytes >= peek || left === 0) {
          verdict = judge();
          if (verdict === 'pass') {
            write(Buffer.from(header));
            for (const chunk of held) {
              write(chunk);
            }
          }
          held = [];
        }
      } else if (verdict === 'pass') {
        write(part);
      }
      if (left === 0) {
        header = [];
        length = -1;
        verdict = null;
      }
    }
  };

  out.write = function (chunk, encoding, callback) {
    if (typeof encoding === 'function') {
      callback = encoding;
      encoding = undefined;
    }
    take(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk, encoding || 'utf8'));
    if (callback) {
      process.nextTick(callback);
    }
    return true;
  };
})();
