import { buildAll } from '../scripts/build';
import { findChromium } from '../scripts/chromium';

/**
 * Integration and e2e tests run the real bundle: build it once per jest run. The browser is found
 * (and, for the npm-shipped build, unpacked) here once, so that parallel workers never unpack it together.
 */
export default async function globalSetup(): Promise<void> {
  await Promise.all([buildAll(), findChromium()]);
}
