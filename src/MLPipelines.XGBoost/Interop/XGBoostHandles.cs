using System.Runtime.InteropServices;

namespace MLPipelines.XGBoost.Interop;

/// <summary>Owns an XGBoost DMatrix; a SafeHandle so it stays alive for every native call that receives it.</summary>
internal sealed class DMatrixHandle : SafeHandle
{
    public DMatrixHandle() : base(IntPtr.Zero, ownsHandle: true) { }

    internal DMatrixHandle(IntPtr native) : base(IntPtr.Zero, ownsHandle: true) => SetHandle(native);

    public override bool IsInvalid => handle == IntPtr.Zero;

    protected override bool ReleaseHandle() => XGBoostNative.XGDMatrixFree(handle) == 0;
}

/// <summary>Owns an XGBoost Booster.</summary>
internal sealed class BoosterHandle : SafeHandle
{
    public BoosterHandle() : base(IntPtr.Zero, ownsHandle: true) { }

    internal BoosterHandle(IntPtr native) : base(IntPtr.Zero, ownsHandle: true) => SetHandle(native);

    public override bool IsInvalid => handle == IntPtr.Zero;

    protected override bool ReleaseHandle() => XGBoostNative.XGBoosterFree(handle) == 0;
}
