"""Machine learning as pure computation: rows in, models and numbers out. Nothing here touches the
database, the services or the web; oms.services.delay_risk feeds it rows and stores what it returns."""
