// An ML.NET user's console app with the MLPipelines packages: the README's pipeline on diamonds.
//   dotnet run -- train <diamonds.csv> <model.zip>   trains TabM and XGBoost, prints their RMSE, saves TabM's pipeline
//   dotnet run -- predict <model.zip> <diamonds.csv> loads the pipeline and prints the first prediction
using Microsoft.ML;
using Microsoft.ML.Data;
using MLPipelines;
using MLPipelines.Deep;
using MLPipelines.Deep.Options;
using MLPipelines.XGBoost;

var ml = new MLContext(seed: 1);
switch (args[0])
{
    case "train":
    {
        // 3,000 of the 53,940 diamonds (the file is sorted by price: shuffled first).
        var data = ml.Data.TakeRows(ml.Data.ShuffleRows(ml.Data.LoadCsv(args[1]), seed: 1), 3000);
        var split = ml.Data.TrainTestSplit(data, testFraction: 0.2, seed: 1);
        var features = ml.Transforms.Categorical.OneHotEncoding("cut")
            .Append(ml.Transforms.Concatenate("Features", "carat", "cut", "depth"));
        var tabm = features.Append(ml.Regression.Trainers.TabM(new TabMOptions { LabelColumnName = "price", MaxEpochs = 3, EnsembleSize = 4, BlockWidth = 64 }));
        var xgboost = features.Append(ml.Regression.Trainers.XGBoost(labelColumnName: "price"));
        foreach (var (name, pipeline) in new (string, IEstimator<ITransformer>)[] { ("TabM", tabm), ("XGBoost", xgboost) })
        {
            var model = pipeline.Fit(split.TrainSet);
            var metrics = ml.Regression.Evaluate(model.Transform(split.TestSet), labelColumnName: "price");
            Console.WriteLine($"{name} RMSE {metrics.RootMeanSquaredError:F1}");
            if (name == "TabM") ml.Model.Save(model, data.Schema, args[2]);
        }
        break;
    }
    case "predict":
    {
        try
        {
            var model = ml.Model.Load(args[1], out _);
            var first = model.Transform(ml.Data.LoadCsv(args[2])).GetColumn<float>("Score").First();
            Console.WriteLine($"first prediction {first:F1}");
        }
        catch (Exception e)
        {
            // ML.NET calls loaders through reflection; the cause is inside.
            while (e.InnerException is not null && e is not MLPipelines.ModelFiles.ModelFileException) e = e.InnerException;
            Console.WriteLine($"{e.GetType().Name}: {e.Message}");
        }
        break;
    }
}
