using System.Runtime.InteropServices;

namespace MLPipelines.XGBoost.Tests;

/// <summary>
/// XGBoost loads the OpenMP runtime, which reads how long idle threads spin once, when it is
/// loaded: the bindings write the setting into the C library's environment before their first
/// call (the command-line tests read the value the runtime itself took).
/// </summary>
public sealed partial class NativeThreadWaitingTests
{
    [Fact]
    public void Calling_XGBoost_first_sets_the_OpenMP_spin_count_unless_the_user_chose_one()
    {
        _ = Booster.LibraryVersion;

        var chosen = Environment.GetEnvironmentVariable("OMP_WAIT_POLICY") is not null || Environment.GetEnvironmentVariable("GOMP_SPINCOUNT") is not null;
        Assert.Equal(chosen ? Environment.GetEnvironmentVariable("GOMP_SPINCOUNT") : "3000", Marshal.PtrToStringUTF8(getenv("GOMP_SPINCOUNT")));
    }

    [LibraryImport("libc", StringMarshalling = StringMarshalling.Utf8)]
    private static partial IntPtr getenv(string name);
}
