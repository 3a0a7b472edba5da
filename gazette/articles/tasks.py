from django_tasks import task


@task()
def warm_article_renditions(page_id: int) -> int:
    """Generate every rendition an article's pictures need, so no reader waits for Pillow."""
    from gazette.images.renditions import warm_renditions

    from .models import ArticlePage

    page = ArticlePage.objects.filter(pk=page_id).first()
    return warm_renditions(page.get_images()) if page else 0
