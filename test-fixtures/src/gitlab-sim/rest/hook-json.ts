import { restTime } from '../gitlab-time';
import type { SimHook } from '../sim-model';

export function hookJson(hook: SimHook): Record<string, unknown> {
  return {
    id: hook.id,
    url: hook.url,
    name: '',
    description: '',
    created_at: restTime(hook.createdAt),
    ...hook.events,
    repository_update_events: false,
    emoji_events: false,
    feature_flag_events: false,
    resource_access_token_events: false,
    enable_ssl_verification: hook.enableSslVerification,
    alert_status: hook.alertStatus,
    disabled_until: restTime(hook.disabledUntil),
    url_variables: [],
    push_events_branch_filter: hook.pushEventsBranchFilter,
    branch_filter_strategy: 'wildcard',
    custom_webhook_template: '',
    custom_headers: [],
    ...(hook.owner.type === 'project' ? { project_id: hook.owner.id } : { group_id: hook.owner.id }),
  };
}
