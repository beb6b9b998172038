"""govweb-eval: annual performance evaluation of government websites."""
