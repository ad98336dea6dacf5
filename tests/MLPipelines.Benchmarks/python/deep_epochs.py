"""The PyTorch side of the deep-model epoch benchmark: the MLP, ResNet, FT-Transformer and TabM of
src/MLPipelines.Deep/Networks written the same way in PyTorch (same layers, sizes,
initialization scheme, parameter groups, batch size), trained on the same featurized rows.

usage: deep_epochs.py mlp|mlp-tds|resnet|ft-transformer|tabm|tabm-mini META_JSON TORCH_THREADS EPOCHS
(mlp: RealMLP-TD, the default MLP; mlp-tds: RealMLP-TD-S)
OpenBLAS's threads come from OPENBLAS_NUM_THREADS, set by the caller; DEEP_EPOCHS_PRECISION=bf16
trains the forward pass in bfloat16 autocast. Prints the seconds of
each timed epoch (after one warm-up epoch).
"""
import json
import math
import os
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F


class NtkLinear(nn.Module):
    """MlpNetwork.cs NtkLinear: weights N(0, 1), product scaled by 1/sqrt(in)."""

    def __init__(self, n_in, n_out, zero=False):
        super().__init__()
        self.weight = nn.Parameter(torch.zeros(n_out, n_in) if zero else torch.randn(n_out, n_in))
        self.bias = nn.Parameter(torch.zeros(n_out) if zero else torch.randn(n_out))
        self.scale = 1 / math.sqrt(n_in)

    def forward(self, x):
        return F.linear(x, self.weight) * self.scale + self.bias


class Mlp(nn.Module):
    """MlpNetwork.cs: front scale, 3 x 256 NTK layers with Mish (regression), zero-initialized output."""

    def __init__(self, d_in):
        super().__init__()
        self.front_scale = nn.Parameter(torch.ones(d_in))
        self.hidden = nn.ModuleList([NtkLinear(d_in, 256), NtkLinear(256, 256), NtkLinear(256, 256)])
        self.output = NtkLinear(256, 1, zero=True)

    def forward(self, x, c):
        x = x * self.front_scale
        for layer in self.hidden:
            x = F.mish(layer(x))
        return self.output(x).unsqueeze(1)


class Pbld(nn.Module):
    """Embeddings.cs PbldEmbeddings: per feature cos(2*pi*w*x + b) over 16 frequencies, a per-feature 16 -> 3 linear layer, x appended."""

    def __init__(self, n):
        super().__init__()
        self.frequencies = nn.Parameter(torch.randn(n, 16) * 0.1)
        self.phases = nn.Parameter(torch.rand(n, 16) * 2 * math.pi - math.pi)
        self.weight = nn.Parameter(torch.rand(n, 16, 3) * 0.5 - 0.25)
        self.bias = nn.Parameter(torch.rand(n, 3) * 0.5 - 0.25)

    def forward(self, x):
        x = x.unsqueeze(-1)
        periodic = torch.cos(x * self.frequencies * (2 * math.pi) + self.phases)
        # NLinear.cs: [B, n, 16] -> [n, B, 16] @ [n, 16, 3] -> [B, n, 3]
        embedded = (periodic.transpose(0, 1) @ self.weight).transpose(0, 1) + self.bias
        return torch.cat([embedded, x], -1)


class RealMlp(nn.Module):
    """MlpNetwork.cs at MlpOptions' defaults (RealMLP-TD, regression): PBLD embeddings of the numeric columns, the other
    columns as they are, front scale, 3 x 256 NTK layers with parametric Mish (x + alpha * (mish(x) - x)) and dropout."""

    def __init__(self, d_in, numeric):
        super().__init__()
        self.register_buffer("numeric", torch.tensor(numeric, dtype=torch.long))
        self.register_buffer("other", torch.tensor([i for i in range(d_in) if i not in numeric], dtype=torch.long))
        self.numeric_embedding = Pbld(len(numeric))
        width = 4 * len(numeric) + d_in - len(numeric)
        self.front_scale = nn.Parameter(torch.ones(width))
        self.hidden = nn.ModuleList([NtkLinear(width, 256), NtkLinear(256, 256), NtkLinear(256, 256)])
        self.alphas = nn.ParameterList([nn.Parameter(torch.ones(256)) for _ in range(3)])
        self.output = NtkLinear(256, 1)
        self.dropout = nn.Dropout(0.15)

    def forward(self, x, c):
        x = torch.cat([self.numeric_embedding(x.index_select(1, self.numeric)).flatten(1), x.index_select(1, self.other)], 1) * self.front_scale
        for layer, alpha in zip(self.hidden, self.alphas):
            x = layer(x)
            x = self.dropout(x + alpha * (F.mish(x) - x))
        return self.output(x).unsqueeze(1)


def flat_cos(t):
    return 1.0 if t < 0.5 else 0.5 * (1 + math.cos(math.pi * (2 * min(1.0, t) - 1)))


class ResNetBlock(nn.Module):
    """ResNetNetwork.cs Block: x + Dropout(Linear(Dropout(ReLU(Linear(BN(x)))))), the residual dropout 0 by default."""

    def __init__(self, main=128, hidden=256, dropout=0.2):
        super().__init__()
        self.norm = nn.BatchNorm1d(main)
        self.linear_first = nn.Linear(main, hidden)
        self.dropout_first = nn.Dropout(dropout)
        self.linear_second = nn.Linear(hidden, main)

    def forward(self, x):
        return x + self.linear_second(self.dropout_first(F.relu(self.linear_first(self.norm(x)))))


class ResNet(nn.Module):
    """ResNetNetwork.cs (Gorishniy et al. 2021) at ResNetOptions' defaults: 128 wide, 2 blocks of 256, then BN, ReLU, output."""

    def __init__(self, d_in, blocks=2):
        super().__init__()
        self.first = nn.Linear(d_in, 128)
        self.blocks = nn.ModuleList([ResNetBlock() for _ in range(blocks)])
        self.head_norm = nn.BatchNorm1d(128)
        self.head = nn.Linear(128, 1)

    def forward(self, x, c):
        x = self.first(x)
        for block in self.blocks:
            x = block(x)
        return self.head(F.relu(self.head_norm(x))).unsqueeze(1)


class Attention(nn.Module):
    def __init__(self, d, heads, dropout):
        super().__init__()
        self.heads = heads
        self.query, self.key, self.value, self.output = (nn.Linear(d, d) for _ in range(4))
        nn.init.zeros_(self.output.bias)
        self.dropout = nn.Dropout(dropout)

    def forward(self, queries, context):
        b, d = queries.shape[0], queries.shape[2]
        h = d // self.heads

        def split(x):
            return x.reshape(b, x.shape[1], self.heads, h).transpose(1, 2)

        q, k, v = split(self.query(queries)), split(self.key(context)), split(self.value(context))
        attention = self.dropout((q @ k.transpose(-2, -1) * (1 / math.sqrt(h))).softmax(-1))
        return self.output((attention @ v).transpose(1, 2).reshape(b, queries.shape[1], d))


class Block(nn.Module):
    def __init__(self, d, first):
        super().__init__()
        hidden = int(d * 4 / 3)
        self.attention_norm = None if first else nn.LayerNorm(d)
        self.attention = Attention(d, 8, 0.2)
        self.ffn_norm = nn.LayerNorm(d)
        self.ffn_in = nn.Linear(d, 2 * hidden)
        self.ffn_dropout = nn.Dropout(0.1)
        self.ffn_out = nn.Linear(hidden, d)

    def forward(self, x, last_token_only):
        normed = x if self.attention_norm is None else self.attention_norm(x)
        queries = normed[:, -1:] if last_token_only else normed
        residual = x[:, -1:] if last_token_only else x
        x = residual + self.attention(queries, normed)
        a, b = self.ffn_in(self.ffn_norm(x)).chunk(2, dim=-1)
        return x + self.ffn_out(self.ffn_dropout(a * F.relu(b)))


class FTTransformer(nn.Module):
    """FTTransformerNetwork.cs: tokenizer, [CLS] appended, 3 pre-norm blocks of 192, [CLS] head."""

    def __init__(self, n_features, cardinalities, d=192):
        super().__init__()
        bound = 1 / math.sqrt(d)
        self.weight = nn.Parameter(torch.empty(n_features, d).uniform_(-bound, bound))
        self.bias = nn.Parameter(torch.empty(n_features, d).uniform_(-bound, bound))
        self.embedding = nn.Embedding(sum(cardinalities), d)
        nn.init.uniform_(self.embedding.weight, -bound, bound)
        self.register_buffer("offsets", torch.tensor([0] + list(np.cumsum(cardinalities)[:-1]), dtype=torch.long))
        self.categorical_bias = nn.Parameter(torch.empty(len(cardinalities), d).uniform_(-bound, bound))
        self.cls = nn.Parameter(torch.empty(d).uniform_(-bound, bound))
        self.blocks = nn.ModuleList([Block(d, first=i == 0) for i in range(3)])
        self.head_norm = nn.LayerNorm(d)
        self.head = nn.Linear(d, 1)

    def forward(self, x, c):
        tokens = torch.cat([x.unsqueeze(-1) * self.weight + self.bias, self.embedding(c + self.offsets) + self.categorical_bias], 1)
        x = torch.cat([tokens, self.cls.reshape(1, 1, -1).expand(tokens.shape[0], 1, -1)], 1)
        for i, block in enumerate(self.blocks):
            x = block(x, last_token_only=i == len(self.blocks) - 1)
        return self.head(F.relu(self.head_norm(x[:, 0]))).unsqueeze(1)


class LinearEnsemble(nn.Module):
    """TabMNetwork.cs LinearEnsemble (BatchEnsemble): ((x * r) W^T) * s + b, per member."""

    def __init__(self, n_in, n_out, k):
        super().__init__()
        bound = 1 / math.sqrt(n_in)
        self.weight = nn.Parameter(torch.empty(n_out, n_in).uniform_(-bound, bound))
        self.r = nn.Parameter(torch.ones(k, n_in))
        self.s = nn.Parameter(torch.ones(k, n_out))
        self.bias = nn.Parameter(torch.empty(n_out).uniform_(-bound, bound).repeat(k, 1))

    def forward(self, x):
        return F.linear(x * self.r, self.weight) * self.s + self.bias


class TabM(nn.Module):
    """TabMNetwork.cs: k = 32 members, 3 blocks of 512 (Linear, ReLU, Dropout 0.1), k heads.
    mini: one random-sign adapter on the input and plain shared Linear blocks ("tabm-mini");
    otherwise BatchEnsemble blocks ("tabm")."""

    def __init__(self, d_in, mini, k=32, width=512):
        super().__init__()
        self.k, self.mini = k, mini
        if mini:
            self.adapter = nn.Parameter(torch.randint(0, 2, (k, d_in)).float() * 2 - 1)
            self.blocks = nn.ModuleList([nn.Linear(d_in, width), nn.Linear(width, width), nn.Linear(width, width)])
        else:
            self.blocks = nn.ModuleList([LinearEnsemble(d_in, width, k), LinearEnsemble(width, width, k), LinearEnsemble(width, width, k)])
            with torch.no_grad():
                self.blocks[0].r.copy_(torch.randint(0, 2, (k, d_in)).float() * 2 - 1)
        self.dropout = nn.Dropout(0.1)
        bound = 1 / math.sqrt(width)
        self.head_weight = nn.Parameter(torch.empty(k, width, 1).uniform_(-bound, bound))
        self.head_bias = nn.Parameter(torch.empty(k, 1).uniform_(-bound, bound))

    def forward(self, x, c):
        x = x.unsqueeze(1) * self.adapter if self.mini else x.unsqueeze(1).expand(-1, self.k, -1)
        for block in self.blocks:
            x = self.dropout(F.relu(block(x)))
        return (x.transpose(0, 1) @ self.head_weight).transpose(0, 1) + self.head_bias


def coslog4(t):
    return 0.5 * (1 - math.cos(2 * math.pi * math.log2(1 + 15 * min(1.0, t))))


def main():
    model_name, meta_path, threads, epochs = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    torch.set_num_threads(threads)
    # bf16: the forward pass in bfloat16 autocast, as the C# side's MixedPrecision.
    bf16 = os.environ.get("DEEP_EPOCHS_PRECISION") == "bf16"
    torch.set_flush_denormal(True)  # as the C# trainer does: denormal floats take a slow path on x86
    torch.manual_seed(0)
    with open(meta_path) as f:
        meta = json.load(f)
    rows, features, cardinalities = meta["Rows"], meta["Features"], meta["Cardinalities"]
    directory = meta["Directory"]
    x = torch.from_numpy(np.fromfile(directory + "/x.f32", dtype="<f4").reshape(rows, features).copy())
    c = torch.from_numpy(np.fromfile(directory + "/c.i64", dtype="<i8").reshape(rows, len(cardinalities)).copy())
    y = torch.from_numpy(np.fromfile(directory + "/y.f32", dtype="<f4").copy())
    y = (y - y.mean()) / y.std(unbiased=False)

    if model_name == "mlp-tds":
        model = Mlp(features)
        biases = [p for n, p in model.named_parameters() if n.endswith("bias")]
        weights = [p for n, p in model.named_parameters() if not n.endswith("bias") and n != "front_scale"]
        groups = [{"params": weights, "lr": 0.07, "weight_decay": 0.0},
                  {"params": biases, "lr": 0.007, "weight_decay": 0.0},
                  {"params": [model.front_scale], "lr": 0.42, "weight_decay": 0.0}]
        optimizer = torch.optim.AdamW(groups, betas=(0.9, 0.95))
    elif model_name == "mlp":
        model = RealMlp(features, meta["NumericColumns"])
        # Recipes.cs for the MLP: regression lr 0.2, decay 0.02; biases 0.1x without decay, the front scale 6x, embeddings and
        # activations 0.1x (decay times the same factor); Adam's beta2 0.95.
        named = list(model.named_parameters())
        slow = [p for n, p in named if n.startswith("numeric_embedding") or n.startswith("alphas")]
        scale = [model.front_scale]
        biases = [p for n, p in named if n.endswith("bias") and not n.startswith("numeric_embedding")]
        taken = {id(p) for p in slow + scale + biases}
        weights = [p for _, p in named if id(p) not in taken]
        groups = [{"params": weights, "lr": 0.2, "weight_decay": 0.02},
                  {"params": biases, "lr": 0.02, "weight_decay": 0.0},
                  {"params": scale, "lr": 1.2, "weight_decay": 0.12},
                  {"params": slow, "lr": 0.02, "weight_decay": 0.002}]
        optimizer = torch.optim.AdamW(groups, betas=(0.9, 0.95))
    elif model_name == "resnet":
        model = ResNet(features)
        # rtdl's convention, as Recipes.cs: no decay on biases and normalizations.
        no_decay = lambda n: n.endswith("bias") or "norm" in n
        groups = [{"params": [p for n, p in model.named_parameters() if not no_decay(n)], "weight_decay": 1e-5},
                  {"params": [p for n, p in model.named_parameters() if no_decay(n)], "weight_decay": 0.0}]
        optimizer = torch.optim.AdamW(groups, lr=1e-3)
    elif model_name.startswith("tabm"):
        model = TabM(features, mini=model_name == "tabm-mini")
        # rtdl's convention, as Recipes.cs: no decay on biases and on the adapters r and s.
        no_decay = lambda n: n.endswith("bias") or n.endswith(".r") or n.endswith(".s") or n == "adapter"
        groups = [{"params": [p for n, p in model.named_parameters() if not no_decay(n)], "weight_decay": 3e-4},
                  {"params": [p for n, p in model.named_parameters() if no_decay(n)], "weight_decay": 0.0}]
        optimizer = torch.optim.AdamW(groups, lr=2e-3)
    else:
        model = FTTransformer(features, cardinalities)
        no_decay = lambda n: n.endswith("bias") or "norm" in n or "embedding" in n or n in ("weight", "cls", "categorical_bias")
        groups = [{"params": [p for n, p in model.named_parameters() if not no_decay(n)], "weight_decay": 1e-5},
                  {"params": [p for n, p in model.named_parameters() if no_decay(n)], "weight_decay": 0.0}]
        optimizer = torch.optim.AdamW(groups, lr=1e-4)
    base_lrs = [g["lr"] for g in optimizer.param_groups]
    base_decays = [g["weight_decay"] for g in optimizer.param_groups]
    steps_per_epoch = math.ceil(rows / 256)
    total_steps = steps_per_epoch * (epochs + 1)
    step = 0
    times = []
    for epoch in range(epochs + 1):
        model.train()
        start = time.perf_counter()
        loss_sum = 0.0
        for batch in torch.randperm(rows).split(256):
            with torch.autocast("cpu", dtype=torch.bfloat16, enabled=bf16):
                output = model(x.index_select(0, batch), c.index_select(0, batch))
            output = output.float()
            target = y.index_select(0, batch)
            loss = F.mse_loss(output.squeeze(-1), target.unsqueeze(1).expand(-1, output.shape[1]))
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            optimizer.step()
            step += 1
            if model_name.startswith("mlp"):
                factor = coslog4(step / total_steps)
                for group, base in zip(optimizer.param_groups, base_lrs):
                    group["lr"] = base * factor
            if model_name == "mlp":
                # RealMLP-TD's flat-cos weight decay and dropout, as MlpNetwork.OnTrainingProgress and Recipes.WeightDecaySchedule.
                flat = flat_cos(step / total_steps)
                for group, base in zip(optimizer.param_groups, base_decays):
                    group["weight_decay"] = base * flat
                model.dropout.p = 0.15 * flat
            loss_sum += loss.item() * len(batch)
        if epoch > 0:
            times.append(time.perf_counter() - start)
    print(" ".join(repr(t) for t in times))


if __name__ == "__main__":
    main()
