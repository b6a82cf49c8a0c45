// The GraphQL-over-HTTP audit of graphql-http against a running server; prints one JSON line per audit.
// Usage: node audit.mjs URL [API_KEY]
import { auditServer } from 'graphql-http';

const [url, key] = process.argv.slice(2);
const fetchFn = key
  ? (input, init = {}) => {
      const headers = new Headers(init.headers);
      headers.set('authorization', `Bearer ${key}`);
      return fetch(input, { ...init, headers });
    }
  : fetch;

for (const result of await auditServer({ url, fetchFn })) {
  const { id, name, status } = result;
  console.log(JSON.stringify({ id, name, status, reason: result.reason ?? null }));
}
