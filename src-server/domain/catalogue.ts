/**
 * The fixed vocabularies of the product. Every enum the schema, the planner, the sync engine, the API
 * and the UI share is declared once here.
 */

export const SCHEDULE_TYPES = ['daily', 'weekly', 'monthly', 'interval', 'cron', 'once'] as const;
export type ScheduleType = (typeof SCHEDULE_TYPES)[number];

export const OUTPUT_MODES = ['upsert', 'append', 'overwrite'] as const;
export type OutputMode = (typeof OUTPUT_MODES)[number];

/** Columns a job can write, in catalogue order (the default header order). */
export const COLUMNS = [
  'video_id',
  'title',
  'published_at',
  'url',
  'views',
  'likes',
  'comments',
  'duration',
  'channel',
  'thumbnail',
  'tags',
  'description',
  'is_short',
] as const;
export type Column = (typeof COLUMNS)[number];

/** Column names as people read them: the UI's labels, and the header row of a job with header_row 'labels'. */
export const COLUMN_HEADERS: Record<Column, string> = {
  video_id: 'Video ID',
  title: 'Title',
  published_at: 'Published',
  url: 'URL',
  views: 'Views',
  likes: 'Likes',
  comments: 'Comments',
  duration: 'Duration',
  channel: 'Channel',
  thumbnail: 'Thumbnail',
  tags: 'Tags',
  description: 'Description',
  is_short: 'Is Short',
};

/** What the header row of a job's tab says: the column keys (video_id …) or their labels (Video ID …). */
export const HEADER_ROWS = ['keys', 'labels'] as const;
export type HeaderRow = (typeof HEADER_ROWS)[number];

export const DEFAULT_COLUMNS: readonly Column[] = [
  'video_id',
  'title',
  'published_at',
  'url',
  'views',
  'likes',
  'comments',
  'duration',
  'channel',
];

export const VIDEO_FILTERS = ['all', 'long', 'shorts'] as const;
export type VideoFilter = (typeof VIDEO_FILTERS)[number];

/** How often an upsert job refreshes the statistics of the tab's newest rows (docs/sync.md). */
export const STATS_REFRESH_POLICIES = ['off', 'daily', 'every_run'] as const;
export type StatsRefreshPolicy = (typeof STATS_REFRESH_POLICIES)[number];
export const DEFAULT_STATS_REFRESH: StatsRefreshPolicy = 'daily';

export const CATCH_UP_POLICIES = ['latest', 'all', 'none'] as const;
export type CatchUpPolicy = (typeof CATCH_UP_POLICIES)[number];

export const NOTIFY_EVENTS = ['failure', 'success', 'recovery', 'anomaly'] as const;
export type NotifyEvent = (typeof NOTIFY_EVENTS)[number];

export const RUN_STATUSES = ['succeeded', 'failed', 'partial', 'missed', 'skipped', 'deferred'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

export const RUN_TRIGGERS = ['schedule', 'manual', 'api', 'retry', 'catch-up'] as const;
export type RunTrigger = (typeof RUN_TRIGGERS)[number];

/** Heartbeat intervals Apps Script accepts for `everyMinutes`. */
export const HEARTBEAT_MINUTES = [1, 5, 10, 15, 30] as const;
export type HeartbeatMinutes = (typeof HEARTBEAT_MINUTES)[number];

export const EXPORT_FORMATS = ['json', 'csv', 'yaml'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export const WEEKDAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** YouTube Data API v3 quota costs per call (official table). */
export const YOUTUBE_QUOTA_COST = {
  'channels.list': 1,
  'playlistItems.list': 1,
  'videos.list': 1,
  'search.list': 100,
} as const;
export type YouTubeMethod = keyof typeof YOUTUBE_QUOTA_COST;

/** Default YouTube Data API quota of a Cloud project, in units per Pacific day. */
export const YOUTUBE_DAILY_QUOTA = 10_000;
