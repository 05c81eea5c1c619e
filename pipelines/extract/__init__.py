"""Pipeline 100 (FetchedPage → Article) and the `python -m pipelines.extract` command for saved pages."""

from pipelines.extract.pipeline import POOL, ExtractPipeline, extract_or_error, make_pool

__all__ = ["POOL", "ExtractPipeline", "extract_or_error", "make_pool"]
