import { mount } from '../lib/html';
import { Calendar } from '../components/calendar/Calendar';

mount('Calendar', Calendar);
