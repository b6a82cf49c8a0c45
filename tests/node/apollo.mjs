// Apollo Client, unchanged, with its automatic persisted queries link, against a running server.
// Usage: node apollo.mjs URL KEY|- OPERATIONS_JSON   (a JSON list of {query, variables})
// Prints one JSON line per HTTP request it sends ({request}) and per operation's outcome ({result}).
import { ApolloClient, HttpLink, InMemoryCache, gql } from '@apollo/client';
import { PersistedQueryLink } from '@apollo/client/link/persisted-queries';
import { createHash } from 'node:crypto';

const [url, key, operations] = process.argv.slice(2);

async function loggingFetch(input, init) {
  const body = JSON.parse(init.body);
  const response = await fetch(input, init);
  console.log(JSON.stringify({
    request: {
      sentQuery: typeof body.query === 'string',
      hash: body.extensions?.persistedQuery?.sha256Hash ?? null,
      status: response.status,
      contentType: response.headers.get('content-type'),
    },
  }));
  return response;
}

const link = new PersistedQueryLink({
  sha256: (text) => createHash('sha256').update(text).digest('hex'),
}).concat(new HttpLink({
  uri: url,
  fetch: loggingFetch,
  headers: key === '-' ? {} : { authorization: `Bearer ${key}` },
}));
const client = new ApolloClient({ link, cache: new InMemoryCache() });

for (const { query, variables } of JSON.parse(operations)) {
  try {
    const { data } = await client.query({ query: gql(query), variables, fetchPolicy: 'network-only' });
    console.log(JSON.stringify({ result: { data } }));
  } catch (error) {
    const codes = (error.errors ?? []).map((e) => e.extensions?.code ?? null);
    console.log(JSON.stringify({ result: { error: error.message, codes } }));
  }
}
