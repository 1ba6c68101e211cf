"""HTTP front: the asyncio HTTP/1.1 server, dispatch to admin endpoints or the AWS call pipeline,
routing by the services' declarations, SigV4 scope parsing, the --workers front processes."""
