// Tests seed libtorch's process-wide generator: they must not run beside each other.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
