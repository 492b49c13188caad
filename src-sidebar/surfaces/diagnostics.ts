import { mount } from '../lib/html';
import { Diagnostics } from '../components/diagnostics/Diagnostics';

mount('Diagnostics', Diagnostics);
