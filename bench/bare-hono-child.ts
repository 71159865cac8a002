// The baseline of the HTTP figures, a bare Hono JSON route, in a process of its own as the runtime
// is: it prints one JSON line when it serves.
import { bareHono } from './support';

const bare = await bareHono();
process.stdout.write(`${JSON.stringify({ event: 'ready', url: bare.url })}\n`);
