import { mount } from '../lib/html';
import { Sidebar } from '../components/sidebar/Sidebar';

mount('YouTube2Sheets', Sidebar);
