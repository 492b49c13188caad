import { createRuntime, type Runtime, type RuntimeOptions } from '../../emulator';

/** A runtime over a small script instead of build/Code.js. */
export function scriptRuntime(code: string, options: RuntimeOptions = {}): Runtime {
  return createRuntime({ code, ...options });
}

/** Runs `body` (a function body) as a one-off script and returns the execution result. */
export function evaluate(body: string, options: RuntimeOptions = {}) {
  return scriptRuntime(`function main() { ${body} }`, options).run('main');
}
