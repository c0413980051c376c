"""Customer lifetime value: historic spend and a buy-till-you-die prediction."""
