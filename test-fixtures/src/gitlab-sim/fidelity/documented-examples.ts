/**
 * Response shapes of endpoints the GitLab adapter calls for which no gitlab.com recording exists,
 * transcribed from the examples of GitLab's REST API documentation (field names and JSON types;
 * values are placeholders of the documented type). `null` marks a documented field that may be
 * null. Sources: docs.gitlab.com/api/pipelines, /api/merge_requests (pipelines), /api/members,
 * /api/project_webhooks, /api/commits (statuses), /api/branches.
 */

const user = {
  id: 1,
  username: 'root',
  name: 'Administrator',
  state: 'active',
  avatar_url: 'https://www.gravatar.com/avatar/x',
  web_url: 'http://gitlab.example.com/root',
};

const detailedStatus = {
  icon: 'status_pending',
  text: 'pending',
  label: 'pending',
  group: 'pending',
  tooltip: 'pending',
  has_details: false,
  details_path: '/group/project/-/pipelines/46',
  illustration: null,
  favicon: '/assets/ci_favicons/favicon_status_pending.png',
};

/** `GET /projects/:id/pipelines/:pipeline_id`, and the answer of create/retry. */
export const documentedPipeline = {
  id: 46,
  iid: 11,
  project_id: 1,
  name: null,
  status: 'pending',
  ref: 'main',
  sha: 'a91957a858320c0e17f3a0eca7cfacbff50ea29a',
  before_sha: 'a91957a858320c0e17f3a0eca7cfacbff50ea29a',
  tag: false,
  yaml_errors: null,
  user,
  created_at: '2016-08-11T11:28:34.085Z',
  updated_at: '2016-08-11T11:32:35.169Z',
  started_at: null,
  finished_at: null,
  committed_at: null,
  duration: null,
  queued_duration: null,
  coverage: null,
  web_url: 'https://example.com/foo/bar/pipelines/46',
  detailed_status: detailedStatus,
  source: 'merge_request_event',
};

/** `GET /projects/:id/merge_requests/:iid/pipelines` (one element). */
export const documentedMergeRequestPipeline = {
  id: 77,
  iid: 12,
  project_id: 1,
  sha: '959e04d7c7a30600c894bd3c0cd0e1ce7f42c11d',
  ref: 'refs/merge-requests/1/head',
  status: 'success',
  source: 'merge_request_event',
  created_at: '2016-08-11T11:28:34.085Z',
  updated_at: '2016-08-11T11:32:35.169Z',
  web_url: 'https://example.com/foo/bar/pipelines/77',
};

/** `GET /projects/:id/members/all/:user_id`. */
export const documentedMember = {
  ...user,
  access_level: 30,
  created_at: '2012-10-22T14:13:35Z',
  expires_at: null,
  membership_state: 'active',
};

/** `GET /projects/:id/hooks` (one element) and `POST /projects/:id/hooks`. */
export const documentedProjectHook = {
  id: 1,
  url: 'http://example.com/hook',
  name: 'Hook name',
  description: 'Hook description',
  project_id: 3,
  push_events: true,
  push_events_branch_filter: '',
  issues_events: true,
  confidential_issues_events: true,
  merge_requests_events: true,
  tag_push_events: true,
  note_events: true,
  confidential_note_events: true,
  job_events: true,
  pipeline_events: true,
  wiki_page_events: true,
  deployment_events: true,
  releases_events: true,
  enable_ssl_verification: true,
  repository_update_events: false,
  alert_status: 'executable',
  disabled_until: null,
  url_variables: [],
  created_at: '2012-10-12T17:04:47Z',
  custom_webhook_template: '',
};

/** `GET /projects/:id/repository/commits/:sha/statuses` with a status carrying a URL (one element). */
export const documentedCommitStatus = {
  status: 'pending',
  created_at: '2016-01-19T08:40:25.934Z',
  started_at: null,
  name: 'bundler:audit',
  allow_failure: true,
  author: user,
  description: null,
  sha: '18f3e63d05582537db6d183d9d557be09e1f90c8',
  target_url: 'https://gitlab.example.com/thedude/gitlab-foss/builds/91',
  finished_at: null,
  id: 91,
  ref: 'main',
  coverage: null,
};
