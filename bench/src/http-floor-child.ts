/**
 * The HTTP floor of the write scenarios: a bare Hono app on @hono/node-server that takes the same
 * SCIM POST and PATCH requests as the host and does nothing but the one write of the bare loops
 * (a `pg` INSERT / UPDATE, or an `ldapts` add / modify) on a pool of as many connections as the
 * host's connector has. No token check, no log, no cache, no translation. What it loses against
 * the bare loops is the price of HTTP and of the load generator sharing the machine, which every
 * HTTP host pays; what the host loses against it is the host's own.
 */
import { serve } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import { Hono } from 'hono';
import type { Client } from 'ldapts';
import { Attribute, Change } from 'ldapts';
import pg from 'pg';
import type { FloorTarget, HostReply, HostRequest } from './ipc.js';
import { entryOf, rootClient } from './ldap.js';
import { COLUMNS } from './postgres.js';
import type { BenchUser } from './users.js';

const target = JSON.parse(process.env.BENCH_FLOOR ?? '{}') as FloorTarget;

interface CreateBody {
  userName: string;
  name: { givenName: string; familyName: string };
  displayName: string;
  title: string;
  emails: { value: string }[];
  [extension: string]: unknown;
}

/** The user a SCIM POST body describes, read back the way the bench wrote it (scim-bodies.ts). */
function userOf(body: CreateBody): BenchUser {
  const extension = Object.entries(body).find(([key]) => key.startsWith('urn:ietf:params:scim:schemas:extension:'))?.[1] as Record<string, string>;
  return {
    login: body.userName,
    givenName: body.name.givenName,
    familyName: body.name.familyName,
    displayName: body.displayName,
    email: body.emails[0]!.value,
    title: body.title,
    department: extension.department ?? extension.departmentNumber ?? '',
    phone: extension.phone ?? extension.telephoneNumber ?? '',
    city: extension.city ?? extension.l ?? '',
    employeeId: extension.employee_id ?? '',
  };
}

/** displayName and title of a PATCH body (two Replace operations, scim-bodies.ts). */
function patchedOf(body: { Operations: { path: string; value: string }[] }): { displayName: string; title: string } {
  const value = (path: string): string => body.Operations.find((o) => o.path === path)!.value;
  return { displayName: value('displayName'), title: value('title') };
}

interface Writer {
  create(user: BenchUser): Promise<void>;
  update(login: string, displayName: string, title: string): Promise<void>;
  close(): Promise<void>;
}

function sqlWriter(t: Extract<FloorTarget, { kind: 'sql' }>): Writer {
  const pool = new pg.Pool({ connectionString: t.pgUrl, max: t.poolSize });
  const insert = `INSERT INTO ${t.table} (${COLUMNS.join(', ')}) VALUES (${COLUMNS.map((_, i) => `$${String(i + 1)}`).join(', ')})`;
  const update = `UPDATE ${t.table} SET display_name = $1, title = $2 WHERE login = $3`;
  return {
    async create(u) {
      await pool.query(insert, [u.login, u.givenName, u.familyName, u.displayName, u.email, u.department, u.title, u.phone, u.city, u.employeeId]);
    },
    async update(login, displayName, title) {
      const result = await pool.query(update, [displayName, title, login]);
      if (result.rowCount !== 1) throw new Error(`${login} was not updated`);
    },
    close: () => pool.end(),
  };
}

function ldapWriter(t: Extract<FloorTarget, { kind: 'ldap' }>): Writer {
  // Bound connections, opened on demand up to the pool size; a request waits for a free one.
  const idle: Client[] = [];
  const waiting: ((client: Client) => void)[] = [];
  let open = 0;
  const withClient = async (work: (client: Client) => Promise<void>): Promise<void> => {
    let client = idle.pop();
    if (client === undefined && open < t.poolSize) {
      open++;
      client = await rootClient(t.server);
    }
    client ??= await new Promise<Client>((resolve) => waiting.push(resolve));
    try {
      await work(client);
    } finally {
      const next = waiting.shift();
      if (next) next(client);
      else idle.push(client);
    }
  };
  return {
    create: (user) => withClient((c) => c.add(`uid=${user.login},${t.peopleDn}`, entryOf(user))),
    update: (login, displayName, title) =>
      withClient((c) =>
        c.modify(`uid=${login},${t.peopleDn}`, [
          new Change({ operation: 'replace', modification: new Attribute({ type: 'displayName', values: [displayName] }) }),
          new Change({ operation: 'replace', modification: new Attribute({ type: 'title', values: [title] }) }),
        ]),
      ),
    close: async () => {
      await Promise.all(idle.map((c) => c.unbind().catch(() => undefined)));
    },
  };
}

const writer = target.kind === 'sql' ? sqlWriter(target) : ldapWriter(target);
const app = new Hono();
app.post('/Users', async (c) => {
  const body = (await c.req.json()) as CreateBody;
  await writer.create(userOf(body));
  return c.json({ ...body, id: Buffer.from(body.userName, 'utf8').toString('base64url') }, 201, { 'content-type': 'application/scim+json' });
});
app.patch('/Users/:id', async (c) => {
  const login = Buffer.from(c.req.param('id'), 'base64url').toString('utf8');
  const { displayName, title } = patchedOf((await c.req.json()) as Parameters<typeof patchedOf>[0]);
  await writer.update(login, displayName, title);
  return c.json({ id: c.req.param('id'), userName: login, displayName, title }, 200, { 'content-type': 'application/scim+json' });
});
app.onError((error, c) => c.json({ detail: error.message }, 500));

const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info: AddressInfo) => {
  process.send?.({ id: 0, kind: 'listening', port: info.port } satisfies HostReply);
});

let stopping = false;
const shutdown = async (): Promise<void> => {
  await new Promise<void>((resolve) => {
    server.close(() => resolve());
    if ('closeIdleConnections' in server) server.closeIdleConnections();
  });
  await writer.close();
};

// The bench died without asking for a stop: do not outlive it.
process.once('disconnect', () => {
  if (!stopping) void shutdown();
});

process.on('message', (request: HostRequest) => {
  if (request.cmd !== 'stop') {
    process.send?.({ id: request.id, kind: 'error', message: `the HTTP floor does not do ${request.cmd}` } satisfies HostReply);
    return;
  }
  stopping = true;
  void shutdown().then(() => process.send?.({ id: request.id, kind: 'stopped' } satisfies HostReply, () => process.disconnect()));
});
