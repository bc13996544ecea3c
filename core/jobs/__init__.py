"""Background jobs and schedules: the shared machinery every app's `tasks.py` builds on.

- `queue`: the huey instance (SQLite store in var/, or Redis with REDIS_URL), `job_task` to declare the task that
  runs one kind of job, `periodic_job` for schedules that run once per period however many workers there are.
- `models`: `Job` (who started it, its kind, status, progress, result file, error) and `PeriodClaim`.
- `services`: `job_start`, `job_progress`, `job_finish`, `job_fail`, `job_results_expire`, `period_claim`.
- `selectors`: `job_get_for_user` (a job is its owner's alone) and `job_live` (progress while it runs).
- `views`: the job page with its htmx-polled progress bar, and the result download.
"""
