import { mount } from '../lib/html';
import { Manager } from '../components/manager/Manager';

mount('Job manager', Manager);
