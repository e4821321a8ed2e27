"""Keys and custody: the only package where a private key exists. It never imports network code."""
