import { mount, html } from '../lib/html';
import { bootData } from '../lib/host';
import { Wizard } from '../components/wizard/Wizard';
import type { WizardBoot } from '../../src-server/boot';

// The opener's boot JSON: the job to edit (and the job itself), the settings, the picker's first choices.
mount('New job', () => {
  const boot = bootData<WizardBoot>();
  return html`<${Wizard} jobId=${boot.jobId ?? null} boot=${boot} />`;
});
