import { mount, html } from '../lib/html';
import { bootData } from '../lib/host';
import { Wizard } from '../components/wizard/Wizard';

mount("New job", () => html`<${Wizard} jobId=${bootData<{ jobId: string }>().jobId ?? null} />`);
