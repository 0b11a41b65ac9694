"""The ML half of OASIS: data loading, LightGBM training, the versioned model store.

Heavy libraries (pandas, lightgbm, sklearn) are imported only inside these modules, which only
the ML commands import.
"""
