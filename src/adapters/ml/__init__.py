"""Machine-learning adapters: data sets, feature extraction, XGBoost training and scoring."""
