"""The inbox pipeline: durable webhook log, processor, policies, worker, poller, feedback."""
