namespace MLPipelines.Torch.NN;

// Activation functions as modules, for Sequential.
public sealed class ReLU : Module<Tensor, Tensor> { public override Tensor Forward(Tensor input) => input.Relu(); }
public sealed class GELU : Module<Tensor, Tensor> { public override Tensor Forward(Tensor input) => input.Gelu(); }
public sealed class SELU : Module<Tensor, Tensor> { public override Tensor Forward(Tensor input) => input.Selu(); }
public sealed class SiLU : Module<Tensor, Tensor> { public override Tensor Forward(Tensor input) => input.Silu(); }
public sealed class Mish : Module<Tensor, Tensor> { public override Tensor Forward(Tensor input) => input.Mish(); }
public sealed class Sigmoid : Module<Tensor, Tensor> { public override Tensor Forward(Tensor input) => input.Sigmoid(); }
public sealed class Tanh : Module<Tensor, Tensor> { public override Tensor Forward(Tensor input) => input.Tanh(); }
