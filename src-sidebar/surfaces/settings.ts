import { mount } from '../lib/html';
import { SettingsPanel } from '../components/settings/Settings';

mount('Settings', SettingsPanel);
