// The global random generator, the thread settings and the live-tensor count are
// process-wide: tests that read them must not run beside tests that change them.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
