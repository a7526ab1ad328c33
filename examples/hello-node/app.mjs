// HTTP API (payload format 2.0) handler. `shared-greeting` comes from the SharedLayer layer (/opt/nodejs).
import { greet } from 'shared-greeting';

export const handler = async (event) => {
  const name = event.queryStringParameters?.name ?? 'world';
  return {
    statusCode: 200,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ message: greet(process.env.GREETING ?? 'Hello', name), path: event.rawPath }),
  };
};
