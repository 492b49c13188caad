import { mount, html } from '../lib/html';
import { closeDialog } from '../lib/host';
import { ApiKeys } from '../components/settings/ApiKeys';

mount(
  'API keys',
  () =>
    html`<main class="page"><h1 class="sr-only">API keys</h1><${ApiKeys} heading=${false} /><div class="footer"><button onClick=${closeDialog}>Close</button></div></main>`,
);
