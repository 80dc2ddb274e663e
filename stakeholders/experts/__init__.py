"""The experts' work under their contracts: time sheets and the final report."""
