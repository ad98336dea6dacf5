// Training seeds libtorch's process-wide generator: tests that compare two trainings must not run beside others.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
