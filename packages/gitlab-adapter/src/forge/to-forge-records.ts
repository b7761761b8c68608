/**
 * @module
 * Maps validated REST records onto the port's forge-agnostic records.
 */
import type { ForgeMergeRequest, ForgeNote, ForgePipeline, ForgeProject } from '@srcgit/core';
import type { z } from 'zod';
import type { restNoteSchema } from '../schemas/rest-merge-request';
import type { RestMergeRequest } from '../schemas/rest-merge-request';
import type { restPipelineSchema } from '../schemas/rest-pipeline';
import type { RestProject } from '../schemas/rest-project';

/** A REST project as a `ForgeProject`. */
export function toForgeProject(project: RestProject): ForgeProject {
  return {
    id: project.id,
    path: project.path_with_namespace,
    namespacePath: project.namespace.full_path,
    webUrl: project.web_url,
    httpUrlToRepo: project.http_url_to_repo,
    defaultBranch: project.default_branch ?? null,
    forkedFrom: project.forked_from_project
      ? { id: project.forked_from_project.id, path: project.forked_from_project.path_with_namespace }
      : null,
    importStatus: project.import_status ?? null,
  };
}

/** A REST merge request as a `ForgeMergeRequest`. */
export function toForgeMergeRequest(mr: RestMergeRequest): ForgeMergeRequest {
  return {
    id: mr.id,
    iid: mr.iid,
    projectId: mr.project_id,
    title: mr.title,
    description: mr.description ?? '',
    state: mr.state,
    draft: mr.draft ?? mr.work_in_progress ?? false,
    sourceProjectId: mr.source_project_id,
    sourceBranch: mr.source_branch,
    targetProjectId: mr.target_project_id,
    targetBranch: mr.target_branch,
    headSha: mr.sha ?? null,
    authorUsername: mr.author.username,
    webUrl: mr.web_url,
  };
}

/** A REST note as a `ForgeNote`. */
export function toForgeNote(note: z.infer<typeof restNoteSchema>): ForgeNote {
  return {
    id: note.id,
    body: note.body,
    authorUsername: note.author.username,
    authorId: note.author.id,
    system: note.system ?? false,
    createdAt: note.created_at,
    updatedAt: note.updated_at ?? note.created_at,
  };
}

/** A REST pipeline as a `ForgePipeline`. */
export function toForgePipeline(pipeline: z.infer<typeof restPipelineSchema>): ForgePipeline {
  return {
    id: pipeline.id,
    iid: pipeline.iid ?? null,
    projectId: pipeline.project_id,
    sha: pipeline.sha,
    ref: pipeline.ref,
    status: pipeline.status,
    source: pipeline.source ?? null,
    webUrl: pipeline.web_url,
  };
}
