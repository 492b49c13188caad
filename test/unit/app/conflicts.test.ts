import { createSchedulerApp } from '../../../src-server/app';
import type { Actor } from '../../../src-server/app/contract';
import { createFakeWorld } from './fakes';

const owner: Actor = { kind: 'user', email: 'owner@example.com' };

test("the wizard preview and the job detail give conflict times in the job's zone, labelled", () => {
  const world = createFakeWorld('2026-01-05T12:00:00Z');
  world.youtube.addChannel('@mkbhd', 'UCmkbhd000000000000000000', 3);
  const app = createSchedulerApp(world.deps);
  const daily = app.createJob(
    {
      name: 'Daily Sync',
      channels: ['@mkbhd'],
      schedule_type: 'daily',
      schedule_value: '09:00',
      timezone: 'America/New_York',
      target_tab_name: 'Videos',
    },
    owner,
  ).job;

  // A London job at 14:30 (09:30 in New York) on the same tab: the preview speaks London time.
  const preview = app.previewSchedule(
    {
      name: 'London',
      channels: ['@mkbhd'],
      schedule_type: 'daily',
      schedule_value: '14:30',
      timezone: 'Europe/London',
      target_tab_name: 'Videos',
    },
    5,
  );
  expect(preview.conflicts).toEqual([
    expect.objectContaining({
      job_id: daily.id,
      at: '2026-01-05T14:00:00.000Z',
      message:
        "Daily Sync also writes “Videos” within the same hour (Mon, Jan 5, 14:00 GMT, 30 min from this job's 14:30): one of them will wait for the other.",
    }),
  ]);

  const london = app.createJob(
    {
      name: 'London',
      channels: ['@mkbhd'],
      schedule_type: 'daily',
      schedule_value: '14:30',
      timezone: 'Europe/London',
      target_tab_name: 'Videos',
    },
    owner,
  ).job;
  // The New York job's detail speaks New York time.
  expect(app.getJob(daily.id).conflicts.map((c) => [c.job_id, c.message])).toEqual([
    [
      london.id,
      "London also writes “Videos” within the same hour (Mon, Jan 5, 09:30 EST, 30 min from this job's 09:00): one of them will wait for the other.",
    ],
  ]);
});
