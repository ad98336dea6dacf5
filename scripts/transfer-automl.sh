#!/usr/bin/env bash
# The AutoML verdict with a fine-tuned candidate where labels are few, run as a user runs it.
# LetterRecognition's letters A-M pretrain the MLP (`mlpipelines pretrain`, supervised); for k
# labeled rows per class of letters N-Z (drawn with seed 1), `mlpipelines automl --pretrained`
# searches LightGbm, XGBoost and the MLP beside the fine-tuned MLP within the budget, with the
# verdict's repetitions of k-fold, and refits the best of each family (--finalists). The finalists
# and the champion then score the N-Z rows outside the 50-per-class pool: the verdict, made from the labeled rows
# alone, is printed beside what those held-out rows say (a win needs more than the 0.5% margin).
# About 4 x BUDGET on 2 cores; the runs stay in artifacts/transfer-automl/.
#   scripts/transfer-automl.sh [BUDGET]        default 3m per size; SIZES="5 10 20 50" picks sizes
set -euo pipefail
cd "$(dirname "$0")/.."
budget="${1:-3m}"
scripts/setup.sh
work=artifacts/transfer-automl
rm -rf "$work" && mkdir -p "$work"
cli=(dotnet run --project src/MLPipelines.Cli -c Release --no-build --)

/usr/bin/python3 - "$work" <<'PY'
import csv, random, sys
work = sys.argv[1]
rows = list(csv.DictReader(open('datasets/LetterRecognition.csv', newline='')))
fields = list(rows[0].keys())
def write(name, part):
    with open(f'{work}/{name}', 'w', newline='') as f:
        writer = csv.DictWriter(f, fieldnames=fields)
        writer.writeheader()
        writer.writerows(part)
write('a-m.csv', [r for r in rows if r['lettr'] <= 'M'])
pools = {}
for i, r in enumerate(rows):
    if r['lettr'] > 'M':
        pools.setdefault(r['lettr'], []).append(i)
random.seed(1)
drawn = {letter: random.sample(indices, 50) for letter, indices in sorted(pools.items())}
chosen = {i for indices in drawn.values() for i in indices}
write('test.csv', [rows[i] for indices in pools.values() for i in indices if i not in chosen])
for k in (5, 10, 20, 50):
    write(f'n-z-{k}.csv', [rows[i] for indices in drawn.values() for i in sorted(indices[:k])])
PY

"${cli[@]}" pretrain --data "$work/a-m.csv" --label lettr --task multiclass --output "$work/a-m.ckpt" | tail -2
for k in ${SIZES:-5 10 20 50}; do
  out="$work/k$k"
  echo "=== $k labeled rows per class"
  "${cli[@]}" automl --data "$work/n-z-$k.csv" --label lettr --task multiclass --budget "$budget" --models lightgbm,xgboost,mlp \
    --pretrained "$work/a-m.ckpt" --output "$out" --finalists "$out/finalists" > "$out.log" 2>&1 || echo "(exit status $?, see $out.log)"
  for finalist in "$out"/finalists/*.zip; do
    "${cli[@]}" predict --model "$finalist" --input "$work/test.csv" --output "${finalist%.zip}.scored.csv" > /dev/null
  done
  # The champion too: when the verdict chose the ensemble, it is neither finalist.
  if [[ -f "$out/champion.zip" ]]; then
    "${cli[@]}" predict --model "$out/champion.zip" --input "$work/test.csv" --output "$out/finalists/champion.scored.csv" > /dev/null
  fi
  /usr/bin/python3 - "$out" <<'PY'
import csv, glob, json, os, sys
out = sys.argv[1]
result = json.load(open(f'{out}/result.json'))
print(f"verdict: {result['summary']}")
scores = {}
for path in sorted(glob.glob(f'{out}/finalists/*.scored.csv')):
    rows = list(csv.DictReader(open(path, newline='')))
    scores[os.path.basename(path)[:-len('.scored.csv')]] = sum(r['lettr'] == r['PredictedLabel'] for r in rows) / len(rows)
print('held out: ' + ', '.join(f'{name} {accuracy:.4f}' for name, accuracy in scores.items()))
deep = [a for n, a in scores.items() if n.startswith('deep-')]
classical = [a for n, a in scores.items() if n.startswith('classical-')]
if deep and classical:
    gain = (deep[0] - classical[0]) / classical[0]
    print(f"held out, deep finalist against classical: {gain:+.1%} ({'wins by the margin' if gain > 0.005 else 'no win by the margin'})")
PY
done
