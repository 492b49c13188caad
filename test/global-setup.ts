import { buildAll } from '../scripts/build';

/** Integration and e2e tests run the real bundle: build it once per jest run. */
export default async function globalSetup(): Promise<void> {
  await buildAll();
}
