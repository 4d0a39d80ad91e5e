"""Run folders: manifests, one atomic write, executors, sweeps, resume, reference results,
comparison and tables; the recorded uncertainty run."""
