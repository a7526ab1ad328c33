/** Rust source helpers for generated functions (rustfmt's layout: 4 spaces, `use` lines sorted). */

/** `use` lines, sorted and deduplicated as rustfmt orders them. */
export function rustUses(paths: string[]): string {
  return [...new Set(paths)]
    .sort()
    .map((p) => `use ${p};`)
    .join('\n');
}

/** A Rust string literal. */
export function rustString(value: string): string {
  return JSON.stringify(value);
}

/** main(): the runtime loop lambda_runtime runs with the handler, then the tests module. */
export const RUST_MAIN = `#[tokio::main]
async fn main() -> Result<(), Error> {
    run(service_fn(handler)).await
}

#[cfg(test)]
mod tests;
`;

/**
 * The test file's head: the saved sample event (local invokes use the same file), read as JSON so
 * a test can change a field before it becomes the handler's typed event. `uses` are the test's
 * own imports besides the handler module's items.
 */
export function rustTestHead(eventFromTest: string, request: string, uses: string[]): string {
  return `${rustUses(['super::*', 'lambda_runtime::Context', 'serde_json::Value', ...uses])}

// The sample event saved for this function; local invokes use the same file.
const SAMPLE: &str = include_str!(${rustString(eventFromTest)});

fn sample() -> Value {
    serde_json::from_str(SAMPLE).expect("the sample event is JSON")
}

fn invocation(event: Value) -> LambdaEvent<${request}> {
    let payload = serde_json::from_value(event).expect("the event has the handler's shape");
    LambdaEvent::new(payload, Context::default())
}
`;
}
